global using Lockstep.Analyzers.Tests.Verifiers;
global using Microsoft.CodeAnalysis.Testing;
global using Xunit;
