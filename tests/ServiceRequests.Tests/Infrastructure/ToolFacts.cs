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

/// <summary>A fact about Unix behaviour (signals, file modes); skipped on Windows.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> on Windows.</summary>
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Unix only (signals, file modes)";
        }
    }
}

/// <summary>A theory about Unix behaviour (signals, file modes); skipped on Windows.</summary>
public sealed class UnixTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> on Windows.</summary>
    public UnixTheoryAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Unix only (signals, file modes)";
        }
    }
}

/// <summary>A fact that needs a folder nobody can write in (<see cref="ReadOnlyFolder"/>); skipped, saying why, where none can be made.</summary>
public sealed class ReadOnlyFolderFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when no read-only folder can be made.</summary>
    public ReadOnlyFolderFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Unix permissions only";
        }
        else if (ReadOnlyFolder.Unavailable is { } why)
        {
            Skip = why;
        }
    }
}

/// <summary>A fact that mounts a <see cref="Tmpfs"/>; skipped, saying why, where mounting is not allowed.</summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when no tmpfs can be mounted.</summary>
    public TmpfsFactAttribute()
    {
        if (Tmpfs.Unavailable is { } why)
        {
            Skip = why;
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
