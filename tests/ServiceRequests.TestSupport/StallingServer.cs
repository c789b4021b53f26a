using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ServiceRequests.TestSupport;

/// <summary>
/// A real TCP server on 127.0.0.1 that accepts connections and reads requests but never finishes
/// an answer: <see cref="StallingServer.Silent"/> sends nothing at all; <see cref="StallingServer.Trickle"/>
/// sends a 200 status line and headers, then the body one byte at a time, forever. Counts the
/// connections it accepted.
/// </summary>
internal sealed class StallingServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly bool _trickle;
    private readonly TimeSpan _byteEvery;
    private readonly Task _accepting;
    private readonly List<TcpClient> _clients = [];
    private int _connections;

    private StallingServer(bool trickle, TimeSpan byteEvery)
    {
        _trickle = trickle;
        _byteEvery = byteEvery;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>A server that never answers.</summary>
    public static StallingServer Silent() => new(false, TimeSpan.Zero);

    /// <summary>A server that answers 200 and then sends one byte of the body every <paramref name="byteEvery"/> (default 100 ms).</summary>
    public static StallingServer Trickle(TimeSpan? byteEvery = null) => new(true, byteEvery ?? TimeSpan.FromMilliseconds(100));

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            Interlocked.Increment(ref _connections);
            lock (_clients)
            {
                _clients.Add(client);
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            var buffer = new byte[8192];
            // Read the request head, then stall.
            var head = new StringBuilder();
            while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }
                head.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            if (!_trickle)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
                return;
            }
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n["), _stop.Token);
            while (true)
            {
                await Task.Delay(_byteEvery, _stop.Token);
                await stream.WriteAsync(" "u8.ToArray(), _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or SocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }
        await _accepting;
        _stop.Dispose();
    }
}
