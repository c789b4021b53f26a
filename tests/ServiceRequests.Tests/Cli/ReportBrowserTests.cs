using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ServiceRequests.Tests.Infrastructure;
using ServiceRequests.TestSupport;

namespace ServiceRequests.Tests.Cli;

/// <summary>
/// The HTML reports in a real browser (Chromium from PATH, driven by Playwright, network cut off;
/// skipped, saying what to install, where there is none): no console errors, every chart drawn as
/// an SVG with traces (or heatmap images) and as wide as its container, tables present.
/// Screenshots are saved under <c>report-screenshots/</c> in the test output folder.
/// </summary>
[Collection(NotebookCollection.Name)]
public class ReportBrowserTests(ReportRun run)
{
    [ChromiumFact]
    public async Task Every_report_renders_offline_with_its_charts_and_tables()
    {
        Assert.True(run.ExitCode == 0, run.Error);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Launch(playwright);
        var screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "report-screenshots")).FullName;
        foreach (var name in new[] { "weekly-stats", "four-week-trends", "reopen-duplicates", "districts" })
        {
            await CheckReport(browser, Path.Combine(run.Folder, name + ".html"), name, Path.Combine(screenshots, name + ".png"));
        }
    }

    [ChromiumFact]
    public async Task A_chart_draws_on_a_page_with_an_amd_loader()
    {
        using var folder = new TempFolder();
        var chart = Reports.ReportFormattersTests.Chart();
        // A stand-in for require.js: plotly.js would register as an AMD module and leave window.Plotly undefined.
        File.WriteAllText(folder.File("amd.html"),
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><script>window.define = function (deps, factory) {}; window.define.amd = {};</script></head><body>" +
            ServiceRequests.Reports.ReportFormatters.ChartHtml(chart, includePlotlyJs: true) + "</body></html>");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Launch(playwright);
        await CheckReport(browser, folder.File("amd.html"), "amd", folder.File("amd.png"), tables: false);
    }

    private static Task<IBrowser> Launch(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = Tools.Chromium,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });

    private static async Task CheckReport(IBrowser browser, string path, string name, string screenshot, bool tables = true)
    {
        await using var context = await browser.NewContextAsync(new() { Offline = true, ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        var network = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        await page.RouteAsync("**/*", route =>
        {
            if (route.Request.Url.StartsWith("file:", StringComparison.Ordinal))
            {
                return route.ContinueAsync();
            }
            network.Add(route.Request.Url);
            return route.AbortAsync();
        });

        await page.GotoAsync(new Uri(path).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load });
        var expectedCharts = Regex.Count(File.ReadAllText(path), "var renderPlotly_[0-9a-f]+ = function");
        Assert.True(expectedCharts > 0, name);
        await page.WaitForFunctionAsync(
            "n => { const p = document.querySelectorAll('.js-plotly-plot'); return p.length === n && [...p].every(d => d.querySelector('svg.main-svg g.trace, svg.main-svg g.hm')); }",
            expectedCharts, new() { Timeout = 30_000 });
        var tracesPerChart = await page.EvaluateAsync<int[]>("() => [...document.querySelectorAll('.js-plotly-plot')].map(d => d.querySelectorAll('svg.main-svg g.trace, svg.main-svg g.hm').length)");
        Assert.Equal(expectedCharts, tracesPerChart.Length);
        Assert.All(tracesPerChart, count => Assert.True(count > 0, name));
        // Each chart takes the width of the block it sits in (no fixed 600 px), whatever the viewport.
        foreach (var width in new[] { 1280, 900 })
        {
            await page.SetViewportSizeAsync(width, 900);
            await page.WaitForTimeoutAsync(300);
            var fill = await page.EvaluateAsync<double[]>(
                "() => [...document.querySelectorAll('.js-plotly-plot')].map(d => d.querySelector('svg.main-svg').getBoundingClientRect().width / (d.closest('.output') ?? document.body).clientWidth)");
            Assert.All(fill, f => Assert.True(f is > 0.95 and <= 1.001, $"{name} at {width} px: a chart fills {f:P0} of its container"));
        }
        await page.SetViewportSizeAsync(1280, 900);
        if (tables)
        {
            Assert.True(await page.Locator("table.sr-table tbody tr").CountAsync() > 0, name);
        }
        Assert.Equal(0, await page.Locator("#report-error").CountAsync());
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000, name);
        Assert.Empty(errors);
        Assert.Empty(network);
    }
}
