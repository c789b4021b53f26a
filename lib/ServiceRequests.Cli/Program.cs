using ServiceRequests.Cli;

using var stop = new CancellationTokenSource();
using var signals = new StopSignals(stop);
return await CommandLine.RunAsync(args, Console.Out, Console.Error, stop.Token);
