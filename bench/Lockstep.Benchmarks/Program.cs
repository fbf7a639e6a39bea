System.Console.WriteLine("Lockstep benchmarks");
