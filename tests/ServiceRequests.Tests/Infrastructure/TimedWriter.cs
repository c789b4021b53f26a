using System.Diagnostics;
using System.Text;

namespace ServiceRequests.Tests.Infrastructure;

/// <summary>A writer that notes when each line arrived, to tell output printed as it happens from output printed at the end.</summary>
public sealed class TimedWriter : TextWriter
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly StringBuilder _line = new();
    private readonly List<(TimeSpan At, string Line)> _lines = [];

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Every complete line with the time since the writer was made.</summary>
    public IReadOnlyList<(TimeSpan At, string Line)> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public override void Write(char value)
    {
        lock (_lines)
        {
            if (value == '\n')
            {
                _lines.Add((_clock.Elapsed, _line.ToString().TrimEnd('\r')));
                _line.Clear();
            }
            else
            {
                _line.Append(value);
            }
        }
    }

    public override string ToString() => string.Join("\n", Lines.Select(l => l.Line)) + "\n" + _line;
}
