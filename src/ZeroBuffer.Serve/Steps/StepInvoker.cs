using System.Diagnostics;
using System.Reflection;
using Harmony.Protocol.Messages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ZeroBuffer.Serve.Steps;

/// <summary>
/// Matches a step, builds its arguments, runs it off the RPC's pool threads under its timeout and turns
/// every ending into a <see cref="StepOutcome"/>. A step that times out, or whose call or scenario
/// is cancelled, is answered at once (its token cancelled) and kept by the session until it ends;
/// steps of one scenario never overlap.
/// </summary>
public sealed class StepInvoker(
    StepMatcher matcher,
    ScenarioHost scenarios,
    StepTimeoutPolicy timeouts,
    StepThreads threads,
    IEnumerable<IStepErrorClassifier> classifiers,
    ILogger<StepInvoker> logger) : IStepInvoker
{
    private readonly IStepErrorClassifier[] _classifiers = classifiers.ToArray();

    public async Task<StepOutcome> InvokeAsync(StepRequest request, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        ScenarioSession session = await scenarios.GetOrStartAsync().ConfigureAwait(false);
        TimeSpan timeout = timeouts.For(request);

        string? stillRunning = await session.WaitForUnfinishedAsync(timeout, ct).ConfigureAwait(false);
        if (ct.IsCancellationRequested)
        {
            return StepOutcome.Failed(ErrorTypes.StepCancelled, StepErrors.Cancelled(request.Text, clock.Elapsed), clock.Elapsed);
        }

        if (stillRunning is not null)
        {
            return StepOutcome.Failed(ErrorTypes.StepTimeout, StepErrors.PreviousStillRunning(stillRunning, request.Text, clock.Elapsed), clock.Elapsed);
        }

        StepMatch match = matcher.Match(request.Text);
        switch (match.Kind)
        {
            case StepMatchKind.NotFound:
                return StepOutcome.Failed(ErrorTypes.StepNotFound, StepErrors.NotFound(request.Text, match.Candidates, match.BrokenMatches), clock.Elapsed);
            case StepMatchKind.Ambiguous:
                return StepOutcome.Failed(ErrorTypes.AmbiguousStep, StepErrors.Ambiguous(request.Text, match.Candidates), clock.Elapsed);
        }

        StepBinding binding = match.Binding!;
        // A table or doc string the definition does not take (or a missing one) is a binding error,
        // found before the step runs, as for a step with no definition.
        string given = request.Table is not null ? StepArgumentKinds.Table : request.DocString is not null ? StepArgumentKinds.DocString : StepArgumentKinds.None;
        if (given != binding.Accepts)
        {
            return StepOutcome.Failed(ErrorTypes.StepNotFound, StepErrors.ArgumentMismatch(request.Text, binding, given), clock.Elapsed);
        }

        // Not disposed when the step is abandoned: the step may still be observing its token.
        var stepCancellation = CancellationTokenSource.CreateLinkedTokenSource(session.Cancellation, ct);
        Task<object?> invoked;
        Task<StepData?> running;
        try
        {
            object? instance = binding.Method.IsStatic ? null : session.Services.GetRequiredService(binding.Method.DeclaringType!);
            object?[] args = StepArgumentConverter.Convert(binding.Method, match.Captures, request, stepCancellation.Token);
            logger.LogDebug("Step \"{Step}\" -> {Class}.{Method}", request.Text, binding.Method.DeclaringType?.Name, binding.Method.Name);
            invoked = threads.Run(() => binding.Method.Invoke(instance, BindingFlags.DoNotWrapExceptions, binder: null, args, culture: null));
            running = StepDataAsync(invoked);
            session.Track(request.Text, running);
        }
        catch (Exception ex)
        {
            stepCancellation.Dispose();
            return Failure(ex, request, clock);
        }

        if (await EndsFirstAsync(running, timeout, stepCancellation.Token).ConfigureAwait(false) is { } stopped)
        {
            threads.Abandon(invoked);
            await stepCancellation.CancelAsync().ConfigureAwait(false);
            if (stopped == StepStop.Cancelled)
            {
                logger.LogWarning("Step \"{Step}\" was cancelled after {Elapsed} ms", request.Text, clock.Elapsed.TotalMilliseconds);
                return StepOutcome.Failed(ErrorTypes.StepCancelled, StepErrors.Cancelled(request.Text, clock.Elapsed), clock.Elapsed);
            }

            logger.LogWarning("Step \"{Step}\" timed out after {Timeout} ms and was cancelled", request.Text, timeout.TotalMilliseconds);
            return StepOutcome.Failed(ErrorTypes.StepTimeout, StepErrors.Timeout(request.Text, timeout, clock.Elapsed), clock.Elapsed);
        }

        try
        {
            StepData? data = await running.ConfigureAwait(false);
            return StepOutcome.Passed(data, clock.Elapsed);
        }
        catch (OperationCanceledException) when (stepCancellation.IsCancellationRequested)
        {
            // The step saw its token before the wait did.
            return StepOutcome.Failed(ErrorTypes.StepCancelled, StepErrors.Cancelled(request.Text, clock.Elapsed), clock.Elapsed);
        }
        catch (Exception ex)
        {
            return Failure(ex, request, clock);
        }
        finally
        {
            stepCancellation.Dispose();
        }
    }

    private enum StepStop
    {
        TimedOut,
        Cancelled,
    }

    /// <summary>Null when the step ended first; otherwise what stopped the wait for it.</summary>
    private static async Task<StepStop?> EndsFirstAsync(Task running, TimeSpan timeout, CancellationToken cancelled)
    {
        // The step's own failure is read by the caller. No Task.Delay with a linked source to cancel:
        // CancelAsync runs the delay's callback on the pool and resumed this method there (a hop per step).
        await running.WaitAsync(timeout, cancelled).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (running.IsCompleted)
        {
            return null;
        }

        return cancelled.IsCancellationRequested ? StepStop.Cancelled : StepStop.TimedOut;
    }

    /// <summary>What the step method returned (on the reading thread or a step thread: steps block on the library), awaited.</summary>
    private static async Task<StepData?> StepDataAsync(Task<object?> invoked)
    {
        object? returned = await invoked.ConfigureAwait(false);

        switch (returned)
        {
            case Task<StepData> withData:
                return await withData.ConfigureAwait(false);
            case Task task:
                await task.ConfigureAwait(false);
                return null;
            case ValueTask<StepData> valueWithData:
                return await valueWithData.ConfigureAwait(false);
            case ValueTask valueTask:
                await valueTask.ConfigureAwait(false);
                return null;
            case StepData data:
                return data;
            default:
                return null;
        }
    }

    private StepOutcome Failure(Exception exception, StepRequest request, Stopwatch clock)
    {
        string errorType = Classify(exception);
        string message = errorType == ErrorTypes.UnhandledException ? StepErrors.Unhandled(exception) : exception.Message;
        if (errorType == ErrorTypes.UnhandledException)
        {
            logger.LogError(exception, "Step \"{Step}\" threw", request.Text);
        }
        else
        {
            logger.LogInformation("Step \"{Step}\" failed ({ErrorType}): {Message}", request.Text, errorType, message);
        }

        return StepOutcome.Failed(errorType, message, clock.Elapsed);
    }

    private string Classify(Exception exception)
    {
        if (StepErrorTypes.Builtin(exception) is { } builtin)
        {
            return builtin;
        }

        foreach (IStepErrorClassifier classifier in _classifiers)
        {
            if (classifier.Classify(exception) is { } kind)
            {
                return kind;
            }
        }

        return ErrorTypes.UnhandledException;
    }
}
