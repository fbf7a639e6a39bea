System.Console.WriteLine("Lockstep samples");
