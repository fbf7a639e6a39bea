using System.Diagnostics.CodeAnalysis;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>
/// Entry point for rule tests: <c>using Verify = CSharpCodeFixVerifier&lt;MyAnalyzer, MyFixer&gt;;</c> then
/// <c>Verify.VerifyAnalyzerAsync(source)</c>, <c>Verify.VerifyCodeFixAsync(source, fixedSource)</c> or
/// <c>new Verify.Test { … }.RunAsync()</c>. A thin layer over Microsoft.CodeAnalysis.Testing that only sets up the
/// project the way our users build: see <see cref="Test"/>.
/// </summary>
public static class CSharpCodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>
    /// The rule's diagnostic: the analyzer's only descriptor besides LS0001, the note every analyzer that follows calls
    /// may give when it reaches its budget (use <see cref="Diagnostic(string)"/> for analyzers with several rules).
    /// </summary>
    public static DiagnosticResult Diagnostic() => new(RuleDescriptor);

    public static DiagnosticResult Diagnostic(string diagnosticId) => CSharpCodeFixVerifier<TAnalyzer, TCodeFix, DefaultVerifier>.Diagnostic(diagnosticId);

    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => CSharpCodeFixVerifier<TAnalyzer, TCodeFix, DefaultVerifier>.Diagnostic(descriptor);

    public static Task VerifyAnalyzerAsync([StringSyntax("C#-test")] string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>Diagnostics come from markup in <paramref name="source"/>; the fix must turn it into <paramref name="fixedSource"/>.</summary>
    public static Task VerifyCodeFixAsync([StringSyntax("C#-test")] string source, [StringSyntax("C#-test")] string fixedSource) =>
        VerifyCodeFixAsync(source, DiagnosticResult.EmptyDiagnosticResults, fixedSource);

    public static Task VerifyCodeFixAsync([StringSyntax("C#-test")] string source, DiagnosticResult expected, [StringSyntax("C#-test")] string fixedSource) =>
        VerifyCodeFixAsync(source, new[] { expected }, fixedSource);

    /// <summary>
    /// The diagnostics are reported and no fix is offered for them: the fixed code is the test code (which is also how the
    /// fix-coverage measurement recognises a test that asserts "no fix").
    /// </summary>
    public static Task VerifyNoFixAsync([StringSyntax("C#-test")] string source, params DiagnosticResult[] expected) =>
        VerifyCodeFixAsync(source, expected, source);

    public static Task VerifyCodeFixAsync([StringSyntax("C#-test")] string source, DiagnosticResult[] expected, [StringSyntax("C#-test")] string fixedSource)
    {
        var test = new Test { TestCode = source, FixedCode = fixedSource };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>
    /// One test project as a user's build has it: a class library (or <see cref="OutputKind"/>) with nullable
    /// annotations on, compiled against the .NET reference pack of the SDK on this machine and, unless
    /// <see cref="ReferenceRuntimeLibrary"/> is false, the Lockstep runtime library, at the leg's language version.
    /// Everything else is the framework's: markup, exact diagnostic matching (additional locations included), the
    /// generated-code and suppression checks, fixes one at a time and Fix All in document, project and solution scope.
    /// </summary>
    private static DiagnosticDescriptor RuleDescriptor { get; } =
        new TAnalyzer().SupportedDiagnostics.Single(d => d.Id != DiagnosticIds.AnalysisBudgetExhausted);

    public sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test()
        {
            // No package: the framework would fetch one from NuGet. The references come from TestReferences instead.
            ReferenceAssemblies = new ReferenceAssemblies("net10.0");
            TestState.AdditionalReferences.AddRange(TestReferences.Framework);
            SolutionTransforms.Add(Configure);

            // Test sources are raw string literals with LF line ends; lines a fix adds (a using directive) get the
            // configured newline, CRLF unless told otherwise, so say LF, as a repository's .editorconfig does. A global
            // config, so a test's own /.editorconfig still applies.
            TestState.AnalyzerConfigFiles.Add(("/.lockstep-tests.globalconfig", "is_global = true\nend_of_line = lf\n"));

            // A rule that needs the whole program reports at compilation end, so its diagnostics are non-local by
            // design: the IDE shows them, and offers their fixes, with full-solution analysis. The framework's check
            // that fixes are offered only for local diagnostics is skipped for such rules alone, as their descriptors
            // declare (CompilationEnd). Every other rule keeps the check, so a rule that reports at compilation end
            // without declaring it fails its fix tests.
            if (IsCompilationEndRule)
                CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        }

        private static bool IsCompilationEndRule { get; } =
            new TAnalyzer().SupportedDiagnostics.Where(d => d.Id != DiagnosticIds.AnalysisBudgetExhausted).All(d => d.CustomTags.Contains(WellKnownDiagnosticTags.CompilationEnd));

        /// <summary><c>[|…|]</c> stands for the rule's diagnostic, not for the budget note the analyzer also supports.</summary>
        protected override DiagnosticDescriptor? GetDefaultDiagnostic(DiagnosticAnalyzer[] analyzers) => RuleDescriptor;

        /// <summary>Whether test sources can use the Lockstep runtime library (<c>Lockstep.dll</c>); true by default.</summary>
        public bool ReferenceRuntimeLibrary { get; set; } = true;

        /// <summary>The C# version; by default the leg's (<see cref="RoslynLeg.LanguageVersion"/>).</summary>
        public LanguageVersion? LanguageVersion { get; set; }

        /// <summary>A class library by default; <see cref="OutputKind.ConsoleApplication"/> for top-level statements.</summary>
        public OutputKind OutputKind
        {
            get => TestState.OutputKind ?? OutputKind.DynamicallyLinkedLibrary;
            set => TestState.OutputKind = value;
        }

        protected override async Task RunImplAsync(CancellationToken cancellationToken)
        {
            if (Coverage.RuleTestRecorder.Current is { } recorder)
            {
                // The fix-coverage measurement wants the project, not the verification (see FixCoverageTests).
                recorder.Add(new Coverage.RecordedRuleTest(
                    typeof(TAnalyzer),
                    TestState.Sources.Select(s => (s.filename, s.content.ToString())).ToImmutableArray(),
                    TestState.AnalyzerConfigFiles.Select(s => (s.filename, s.content.ToString())).ToImmutableArray(),
                    ReferenceRuntimeLibrary,
                    LanguageVersion ?? RoslynLeg.LanguageVersion,
                    OutputKind,
                    FixedState.Sources.Count > 0 && FixedState.Sources.Select(f => f.content.ToString()).SequenceEqual(TestState.Sources.Select(t => t.content.ToString()))));
                return;
            }

            // Messages and formatted arguments must not depend on the machine's culture. The culture flows with the
            // ExecutionContext into every continuation of this method and is restored when it returns.
            var culture = CultureInfo.CurrentCulture;
            var uiCulture = CultureInfo.CurrentUICulture;
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
            try
            {
                await base.RunImplAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                CultureInfo.CurrentCulture = culture;
                CultureInfo.CurrentUICulture = uiCulture;
            }
        }

        private Solution Configure(Solution solution, ProjectId projectId)
        {
            var project = solution.GetProject(projectId)!;
            var compilationOptions = ((CSharpCompilationOptions)project.CompilationOptions!)
                .WithNullableContextOptions(NullableContextOptions.Enable)
                .WithAllowUnsafe(true);

            // Diagnose mode parses documentation comments, so analyzers see them as structured trivia, as in a build
            // that writes a documentation file.
            var parseOptions = ((CSharpParseOptions)project.ParseOptions!)
                .WithLanguageVersion(LanguageVersion ?? RoslynLeg.LanguageVersion)
                .WithDocumentationMode(DocumentationMode.Diagnose);

            solution = solution
                .WithProjectCompilationOptions(projectId, compilationOptions)
                .WithProjectParseOptions(projectId, parseOptions);
            return ReferenceRuntimeLibrary ? solution.AddMetadataReference(projectId, TestReferences.RuntimeLibrary) : solution;
        }
    }
}
