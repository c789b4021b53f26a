namespace ServiceRequests.Notebooks;

/// <summary>
/// The globals of a notebook run headless: what the Polyglot kernel gives a C# cell beyond plain
/// C#, i.e. <c>display(value)</c>. Public because compiled cells bind to it.
/// </summary>
public sealed class NotebookContext
{
    private readonly Action<object?> _display;

    internal NotebookContext(Action<object?> display) => _display = display;

    /// <summary>Shows a value below the current cell, as the kernel's <c>display</c> does.</summary>
#pragma warning disable IDE1006 // the kernel's name, so that cells run unchanged in VS Code
    public void display(object? value) => _display(value);
#pragma warning restore IDE1006
}
