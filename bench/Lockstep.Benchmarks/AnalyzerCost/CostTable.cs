using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace Lockstep.Benchmarks.AnalyzerCost;

/// <summary>One row of the cost table: a set of analyzers and the time of a compile with them attached.</summary>
/// <param name="Label">Family name, or a floor/total label.</param>
/// <param name="Analyzers">Number of analyzers in the set.</param>
/// <param name="Milliseconds">Time of a compile with the set (median or mean, whatever the caller measured).</param>
/// <param name="Findings">The set's diagnostics against the seeded pitfalls, when known.</param>
internal sealed record CostRow(string Label, string Analyzers, double Milliseconds, Findings? Findings = null);

/// <summary>
/// Formats the analyzer cost table shared by the quick mode and the BenchmarkDotNet post-run summary. A set's cost is
/// its compile time minus the plain compile time; "net of driver floor" subtracts the compile with the analyzer that
/// registers nothing instead, "net of operation floor" the compile with the empty invocation action.
/// </summary>
internal static class CostTable
{
    public static void Write(
        TextWriter output,
        int lines,
        double compileMs,
        double? driverFloorMs,
        double? operationFloorMs,
        IReadOnlyList<CostRow> rows,
        bool withCounts)
    {
        double perKLines = lines / 1000.0;
        var header = new List<string>
        {
            "Family", "Analyzers", "ms per 1,000 lines (compile)", "ms per 1,000 lines (family analyzers)", "% of compile time",
            "ms per 1,000 lines (net of driver floor)", "ms per 1,000 lines (net of operation floor)",
        };
        if (withCounts)
        {
            header.Add("Diagnostics");
            header.Add("Seeded pitfalls reported");
            header.Add("Diagnostics outside seeded pitfalls");
        }

        var table = new StringBuilder();
        table.Append("| ").AppendJoin(" | ", header).Append(" |\n");
        table.Append('|').AppendJoin("|", header.Select((_, i) => i < 2 ? "---" : "---:")).Append("|\n");
        table.Append("| Compile (no analyzers) | 0 | ").Append(F(compileMs / perKLines)).Append(" | - | - | - | - |");
        if (withCounts)
        {
            table.Append(" - | - | - |");
        }

        table.Append('\n');
        foreach (var row in rows)
        {
            double cost = row.Milliseconds - compileMs;
            string net = driverFloorMs is { } floor ? F((row.Milliseconds - floor) / perKLines) : "-";
            string netOfOperations = operationFloorMs is { } operations && !row.Label.StartsWith('(') ? F((row.Milliseconds - operations) / perKLines) : "-";
            table.Append("| ").Append(row.Label)
                .Append(" | ").Append(row.Analyzers)
                .Append(" | ").Append(F(compileMs / perKLines))
                .Append(" | ").Append(F(cost / perKLines))
                .Append(" | ").Append((100 * cost / compileMs).ToString("F1", CultureInfo.InvariantCulture)).Append(" %")
                .Append(" | ").Append(net)
                .Append(" | ").Append(netOfOperations)
                .Append(" |");
            if (withCounts)
            {
                table.Append(row.Findings is { } f
                    ? FormattableString.Invariant($" {f.Diagnostics} | {f.SeededFound} of {f.Seeded} | {f.Outside} |")
                    : " - | - | - |");
            }

            table.Append('\n');
        }

        output.Write(table.ToString());
    }

    public static string F(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
}
