using System;
using System.Text;

namespace Lockstep.Benchmarks.Corpus;

/// <summary>Appends C# text line by line at the current indentation (four spaces per level).</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public int LineCount { get; private set; }

    public void Line(string text = "")
    {
        if (text.Length > 0)
        {
            _text.Append(' ', _indent * 4).Append(text);
        }

        _text.Append('\n');
        LineCount++;
    }

    /// <summary>Writes a multi-line fragment (for example a raw string template), keeping its relative indentation.</summary>
    public void Block(string fragment)
    {
        foreach (string line in fragment.Split('\n'))
        {
            Line(line.TrimEnd('\r', ' '));
        }
    }

    public void Open(string header)
    {
        Line(header);
        Line("{");
        _indent++;
    }

    public void Close(string suffix = "")
    {
        _indent--;
        Line("}" + suffix);
    }

    public override string ToString() => _text.ToString();

    public static int CountLines(string fragment) => fragment.AsSpan().Count('\n') + 1;
}
