using System.Text;

namespace ServiceRequests.IO;

/// <summary>
/// A text writer that passes each line to <see cref="Inner"/> only after <see cref="Secrets.Scrub"/>
/// has removed every credential from it: what a program prints goes through it, so no message,
/// retry line or stack trace can show a secret, whoever wrote it. Lines are held until their end
/// (or <see cref="Flush"/>), so a secret written in pieces is still seen whole. Safe to use from
/// several threads; never closes <see cref="Inner"/>.
/// </summary>
internal sealed class ScrubbingWriter(TextWriter inner) : TextWriter
{
    private readonly StringBuilder _line = new();

    /// <summary>The writer the scrubbed text goes to.</summary>
    public TextWriter Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc/>
    public override Encoding Encoding => Inner.Encoding;

    /// <inheritdoc/>
    public override IFormatProvider FormatProvider => Inner.FormatProvider;

    /// <inheritdoc/>
    public override void Write(char value)
    {
        lock (_line)
        {
            _line.Append(value);
            if (value == '\n')
            {
                Pass();
            }
        }
    }

    /// <inheritdoc/>
    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }
        lock (_line)
        {
            _line.Append(value);
            if (value.Contains('\n', StringComparison.Ordinal))
            {
                Pass();
            }
        }
    }

    /// <inheritdoc/>
    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    /// <inheritdoc/>
    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override void Flush()
    {
        lock (_line)
        {
            Pass(all: true);
            Inner.Flush();
        }
    }

    /// <inheritdoc/>
    public override Task FlushAsync()
    {
        Flush();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
        }
        base.Dispose(disposing);
    }

    /// <summary>Passes on the complete lines held (with <paramref name="all"/>, the unfinished one too).</summary>
    private void Pass(bool all = false)
    {
        var text = _line.ToString();
        var end = all ? text.Length : text.LastIndexOf('\n') + 1;
        if (end == 0)
        {
            return;
        }
        Inner.Write(Secrets.Scrub(text[..end]));
        _line.Remove(0, end);
    }
}
