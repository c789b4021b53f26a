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

    /// <summary>
    /// The reports as a reader sees them, on the data of a pull made on a Saturday morning (the
    /// week then running is incomplete, many recent issues open), and on a range with no data.
    /// </summary>
    [ChromiumFact]
    public async Task Every_report_reads_right_on_a_saturday_pull_and_an_empty_range_is_one_line()
    {
        using var folder = new TempFolder();
        // The sample's generator pulls the morning after its last creation date: Friday's data, pulled on Saturday 2026-10-31.
        var generated = await CliRun.Run("generate", "--issues", "12000", "--to", "2026-10-30", "--out", folder.File("saturday.json.gz"));
        Assert.True(generated.Code == 0, generated.Err);
        var saturday = await CliRun.Run("report", "--notebooks", RepoPaths.Of("notebooks"), "--out", folder.File("out"), "--param", "source=" + folder.File("saturday.json.gz"));
        Assert.True(saturday.Code == 0, saturday.Err);

        var empty = await CliRun.Run("report", "--notebooks", RepoPaths.Of("notebooks"), "--out", folder.File("empty"), "--param", "from=2030-01-01", "--param", "to=2030-03-31");
        Assert.Equal(1, empty.Code);
        Assert.Equal("error: The range 2030-01-01 to 2030-03-31 holds no issues: the data holds issues created from 2024-11-03 to 2026-10-31.", empty.Err.Trim());
        Assert.False(Directory.Exists(folder.File("empty")));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Launch(playwright);
        var screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "report-screenshots")).FullName;
        foreach (var name in new[] { "weekly-stats", "four-week-trends", "reopen-duplicates", "districts" })
        {
            await CheckReport(browser, folder.File("out/" + name + ".html"), name, Path.Combine(screenshots, name + "-saturday.png"));
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

    /// <summary>
    /// What a reader needs at a glance: no table or output wider than the page (nothing hidden behind a
    /// sideways scroll), every chart with a title and its axes titled, and no 100 % from a cohort that
    /// is not final without its mark (a table row with fewer issues closed than created is greyed and
    /// says so; a chart's bar of such a cohort is hatched).
    /// </summary>
    private static async Task CheckReadable(IPage page, string name)
    {
        foreach (var width in new[] { 1280, 1000 })
        {
            await page.SetViewportSizeAsync(width, 900);
            await page.WaitForTimeoutAsync(200);
            var overflowing = await page.EvaluateAsync<string[]>(
                "() => [...document.querySelectorAll('table.sr-table, .output, pre')].filter(e => e.checkVisibility() && !e.closest('details:not([open])') && e.scrollWidth > (e.matches('table') ? e.parentElement.clientWidth : e.clientWidth) + 1)" +
                ".map(e => (e.querySelector('th') ?? e).textContent.slice(0, 60))");
            Assert.True(overflowing.Length == 0, $"{name} at {width} px: wider than the page: {string.Join(" | ", overflowing)}");
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), $"{name} at {width} px scrolls sideways");
        }
        await page.SetViewportSizeAsync(1280, 900);

        // Titles: the chart's, and every axis drawn (a map's axes are hidden, and titled all the same).
        var untitled = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('.js-plotly-plot')].flatMap(d => {
                const l = d.layout, title = l.title && (l.title.text ?? l.title);
                if (!title) return ['a chart without a title'];
                return Object.keys(d._fullLayout).filter(k => /^[xy]axis\d*$/.test(k) && d._fullLayout[k].visible !== false)
                    .filter(k => !(l[k] && l[k].title && (l[k].title.text ?? l[k].title)))
                    .map(k => `${title}: ${k} has no title`);
            })
            """);
        Assert.True(untitled.Length == 0, $"{name}: {string.Join("; ", untitled)}");

        // No 100 % from an unfinished cohort without its mark: in tables, the rows with fewer issues closed than created are marked.
        var unmarked = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('table.sr-table')].flatMap(t => {
                const heads = [...t.querySelectorAll('th')].map(h => h.textContent);
                const [issues, closed] = [heads.indexOf('num_issues'), heads.indexOf('num_closed')];
                if (issues < 0 || closed < 0) return [];
                return [...t.querySelectorAll('tbody tr')].filter(r => {
                    const c = [...r.children].map(td => td.textContent.replace(/,/g, ''));
                    return heads.some((h, i) => h.startsWith('perc_') && c[i] === '100') && +c[closed] < +c[issues] && !r.classList.contains('sr-provisional');
                }).map(r => r.children[0].textContent);
            })
            """);
        Assert.True(unmarked.Length == 0, $"{name}: 100 % from a cohort still open, unmarked: {string.Join(", ", unmarked)}");
        // In charts: a bar of a share at 100 that the figure says is provisional is hatched; one not said is from a week all closed.
        var unhatched = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('.js-plotly-plot')].flatMap(d => d.data.filter(t => t.type === 'bar' && Array.isArray(t.text)).flatMap(t =>
                t.text.map((text, i) => ({ text, i })).filter(b => b.text === 'provisional' && !(t.marker && t.marker.pattern && t.marker.pattern.shape[b.i] === '/'))
                    .map(b => `${d.layout.title.text}: ${t.name} ${t.y[b.i]}`)))
            """);
        Assert.True(unhatched.Length == 0, $"{name}: provisional bars drawn as final: {string.Join(", ", unhatched)}");
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
            await CheckReadable(page, name);
        }
        Assert.Equal(0, await page.Locator("#report-error").CountAsync());
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000, name);
        Assert.Empty(errors);
        Assert.Empty(network);
    }
}
