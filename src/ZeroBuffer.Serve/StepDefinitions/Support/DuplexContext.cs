using Microsoft.Extensions.Logging;
using ZeroBuffer.DuplexChannel;
using ZeroBuffer.Serve.Steps;

namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>
/// The duplex state of one scenario in one worker (STEPS.md "Duplex channel"): servers and clients by
/// channel (as the feature names it), the current ones (the last started / connected). In
/// same-process mode one context serves both roles. <see cref="ReleaseAsync"/> (cleanup) stops every
/// server, then disposes every client.
/// </summary>
public sealed class DuplexContext(ZeroBufferContext buffers, ILoggerFactory loggers) : IScenarioCleanup
{
    private readonly ILogger _logger = loggers.CreateLogger<DuplexContext>();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StepServer> _servers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StepClient> _clients = new(StringComparer.Ordinal);
    private StepServer? _currentServer;
    private StepClient? _currentClient;

    public DuplexChannelFactory Factory { get; } = new(loggers);

    public ILogger ServerLogger { get; } = loggers.CreateLogger<StepServer>();

    public CancellationToken Cancellation => buffers.Cancellation;

    /// <summary>The OS name of a feature's channel: <c>&lt;runId&gt;-&lt;name&gt;</c>, like buffer names.</summary>
    public string Qualify(string featureName) => buffers.Qualify(featureName);

    public StepServer CurrentServer
    {
        get
        {
            lock (_gate)
            {
                return _currentServer ?? throw new InvalidOperationException("This worker runs no duplex server in the scenario: no 'starts ... server' step succeeded here.");
            }
        }
    }

    public StepClient CurrentClient
    {
        get
        {
            lock (_gate)
            {
                return _currentClient ?? throw new InvalidOperationException("This worker has no duplex client in the scenario: no 'connects to channel' step succeeded here.");
            }
        }
    }

    public StepServer Server(string featureName)
    {
        lock (_gate)
        {
            return _servers.TryGetValue(featureName, out StepServer? server)
                ? server
                : throw new InvalidOperationException($"This worker runs no duplex server on channel '{featureName}'.");
        }
    }

    public StepClient Client(string featureName)
    {
        lock (_gate)
        {
            return _clients.TryGetValue(featureName, out StepClient? client)
                ? client
                : throw new InvalidOperationException($"This worker has no duplex client of channel '{featureName}'.");
        }
    }

    public void AddServer(StepServer server)
    {
        lock (_gate)
        {
            if (!_servers.TryAdd(server.FeatureName, server))
            {
                server.Dispose();
                throw new InvalidOperationException($"A duplex server already runs on channel '{server.FeatureName}' in this worker.");
            }

            _currentServer = server;
        }
    }

    /// <summary>Stops and forgets the server of the channel.</summary>
    public StepServer StopServer(string featureName)
    {
        StepServer server = Take(_servers, ref _currentServer, featureName)
            ?? throw new InvalidOperationException($"This worker runs no duplex server on channel '{featureName}'.");
        server.Dispose();
        return server;
    }

    /// <summary>Connects a client (disposing this worker's previous client of the channel); it becomes current.</summary>
    public StepClient Connect(string featureName, int responsePayloadSize)
    {
        Take(_clients, ref _currentClient, featureName)?.Dispose();
        IDuplexClient client = Factory.CreateClient(Qualify(featureName), new BufferConfig(metadataSize: 4096, payloadSize: responsePayloadSize));
        var state = new StepClient(featureName, client);
        lock (_gate)
        {
            _clients[featureName] = state;
            _currentClient = state;
        }

        return state;
    }

    /// <summary>Disposes and forgets the client of the channel.</summary>
    public void Disconnect(string featureName) =>
        (Take(_clients, ref _currentClient, featureName)
            ?? throw new InvalidOperationException($"This worker has no duplex client of channel '{featureName}'.")).Dispose();

    public Task<IReadOnlyList<string>> ReleaseAsync(CancellationToken ct)
    {
        StepServer[] servers;
        StepClient[] clients;
        lock (_gate)
        {
            servers = [.. _servers.Values];
            clients = [.. _clients.Values];
            _servers.Clear();
            _clients.Clear();
            _currentServer = null;
            _currentClient = null;
        }

        var released = new List<string>();
        foreach (IDisposable item in servers.Concat<IDisposable>(clients))
        {
            string what = item is StepServer server ? $"duplex server:{server.ChannelName}" : $"duplex client:{((StepClient)item).ChannelName}";
            try
            {
                item.Dispose();
                released.Add(what);
            }
            catch (Exception ex)
            {
                // Keep releasing the rest; the worker is replaced after a failed cleanup anyway.
                _logger.LogError(ex, "Cleanup: disposing {What} failed", what);
            }
        }

        return Task.FromResult<IReadOnlyList<string>>(released);
    }

    /// <summary>Removes the channel's item (null when there is none); it stops being the current one.</summary>
    private T? Take<T>(Dictionary<string, T> items, ref T? current, string featureName)
        where T : class
    {
        lock (_gate)
        {
            if (!items.Remove(featureName, out T? item))
            {
                return null;
            }

            if (current == item)
            {
                current = null;
            }

            return item;
        }
    }
}
