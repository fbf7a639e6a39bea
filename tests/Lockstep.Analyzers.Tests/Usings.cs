global using Lockstep.Analyzers.Tests.Verifiers;
global using Xunit;
