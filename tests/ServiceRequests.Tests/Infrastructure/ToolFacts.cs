using ServiceRequests.TestSupport;

namespace ServiceRequests.Tests.Infrastructure;

/// <summary>A fact that needs a python3 with pandas on PATH; skipped, saying what to install, where there is none.</summary>
public sealed class PandasFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when no python3 on PATH imports pandas.</summary>
    public PandasFactAttribute()
    {
        if (Tools.PythonWithPandas is null)
        {
            Skip = Tools.PandasHint;
        }
    }
}

/// <summary>A fact that needs Chromium on PATH; skipped, saying what to install, where there is none.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when there is no chromium on PATH.</summary>
    public ChromiumFactAttribute()
    {
        if (Tools.Chromium is null)
        {
            Skip = Tools.ChromiumHint;
        }
    }
}

/// <summary>A fact that needs a python3 with numpy and matplotlib on PATH (the peer of <c>bench districts</c>); skipped, saying what to install, where there is none.</summary>
public sealed class MatplotlibFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when no python3 on PATH imports matplotlib.</summary>
    public MatplotlibFactAttribute()
    {
        if (Tools.PythonWith("matplotlib") is null)
        {
            Skip = "no python3 on PATH imports matplotlib: install Debian's python3-matplotlib (apt-get install -y python3-matplotlib) to compare with it";
        }
    }
}

/// <summary>A fact that needs the real .NET Interactive kernel and a Jupyter client; skipped, saying why, where they are missing.</summary>
public sealed class JupyterFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when <see cref="Tools.JupyterMissing"/> says why.</summary>
    public JupyterFactAttribute() => Skip = Tools.JupyterMissing;
}

/// <summary>A theory that needs the real .NET Interactive kernel and a Jupyter client; skipped, saying why, where they are missing.</summary>
public sealed class JupyterTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when <see cref="Tools.JupyterMissing"/> says why.</summary>
    public JupyterTheoryAttribute() => Skip = Tools.JupyterMissing;
}
