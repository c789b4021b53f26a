using ServiceRequests.Benchmarks;

return await BenchCommand.RunAsync(args, Console.Out, Console.Error);
