using System.Reflection;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.DotNet.Interactive.CSharp;
using ServiceRequests.Notebooks;

namespace ServiceRequests.Tests.Notebooks;

/// <summary>
/// The one place the runner reaches into the kernel's private state (its script options, for a
/// line number per cell): fails as soon as a kernel update renames or retypes the field, and says
/// that the kernel still offers no public way to set them.
/// </summary>
public class KernelSeamTests
{
    [Fact]
    public void The_kernel_still_keeps_its_script_options_in_the_private_field_the_runner_sets()
    {
        var field = NotebookRunner.ScriptOptionsField;
        Assert.NotNull(field);
        Assert.Equal(typeof(ScriptOptions), field.FieldType);
        using var kernel = new CSharpKernel();
        Assert.IsType<ScriptOptions>(field.GetValue(kernel));
    }

    [Fact]
    public void The_kernel_offers_no_public_way_to_its_script_options()
    {
        var publicMembers = typeof(CSharpKernel).GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static);
        Assert.DoesNotContain(publicMembers, m => m switch
        {
            PropertyInfo p => p.PropertyType == typeof(ScriptOptions),
            MethodInfo method => method.ReturnType == typeof(ScriptOptions) || method.GetParameters().Any(a => a.ParameterType == typeof(ScriptOptions)),
            _ => false,
        });
    }
}
