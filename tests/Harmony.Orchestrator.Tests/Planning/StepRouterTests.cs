using Harmony.Orchestrator.Planning;
using Harmony.Orchestrator.Tests.Support;

namespace Harmony.Orchestrator.Tests.Planning;

public class StepRouterTests
{
    [Fact]
    public void Process_phrase_routes_and_and_but_inherit()
    {
        var routed = FeatureText.Routed(FeatureText.Feature(
            "Given the 'reader' process creates buffer 'b' with metadata size '1' and payload size '2'",
            "And some step without a phrase",
            "When the 'writer' process connects to buffer 'b'",
            "But another step without a phrase",
            "Then the 'reader-2' process should fail to create buffer 'b' with 'ReaderAlreadyConnected'"));
        Assert.Equal(
            ["reader", "reader", "writer", "writer", "reader-2"],
            routed.Steps.Select(s => Assert.IsType<SendToRole>(s.Action).Role));
        Assert.Equal(["reader", "reader-2", "writer"], routed.Roles);
        Assert.Equal(["reader", "writer"], routed.Kinds);
        Assert.Equal([1, 2, 3, 4, 5], routed.Steps.Select(s => s.Number));
    }

    [Fact]
    public void Given_when_then_without_phrase_broadcast_and_and_after_broadcast_too()
    {
        var routed = FeatureText.Routed(FeatureText.Feature(
            "Given every process succeeds",
            "And it keeps going",
            "When the 'writer' process does x",
            "Then all is well"));
        Assert.IsType<SendToAll>(routed.Steps[0].Action);
        Assert.IsType<SendToAll>(routed.Steps[1].Action);
        Assert.IsType<SendToRole>(routed.Steps[2].Action);
        Assert.IsType<SendToAll>(routed.Steps[3].Action);
    }

    [Fact]
    public void Leading_and_without_previous_step_broadcasts()
    {
        var routed = FeatureText.Routed(FeatureText.Feature("And first of all", "Then the 'reader' process does x"));
        Assert.IsType<SendToAll>(routed.Steps[0].Action);
    }

    [Theory]
    [InlineData("the 'writer' process is killed", "writer")]
    [InlineData("the 'writer' process crashes", "writer")]
    [InlineData("the 'reader-2' process crashes while writing frames", "reader-2")]
    [InlineData("the 'server' process is killed while the client waits", "server")]
    public void Kill_and_crash_steps_belong_to_the_orchestrator(string text, string role)
    {
        var routed = FeatureText.Routed(FeatureText.Feature($"When {text}"));
        var step = Assert.Single(routed.Steps);
        Assert.Equal(role, Assert.IsType<KillRole>(step.Action).Role);
        Assert.True(step.IsOrchestratorStep);
        Assert.Equal(text, step.Spec.Text);
    }

    [Fact]
    public void Start_and_wait_steps_belong_to_the_orchestrator()
    {
        var routed = FeatureText.Routed(FeatureText.Feature(
            "When the 'reader' process is killed",
            "And a new 'reader' process is started",
            "And wait for '250' ms",
            "And wait for '2' seconds",
            "And the 'reader' process does x",
            "And continues"));
        Assert.Equal("reader", Assert.IsType<StartRole>(routed.Steps[1].Action).Role);
        Assert.Equal(TimeSpan.FromMilliseconds(250), Assert.IsType<Wait>(routed.Steps[2].Action).Duration);
        Assert.Equal(TimeSpan.FromSeconds(2), Assert.IsType<Wait>(routed.Steps[3].Action).Duration);
        Assert.Equal("reader", Assert.IsType<SendToRole>(routed.Steps[5].Action).Role);
    }

    [Fact]
    public void And_after_a_wait_broadcasts_and_and_after_a_kill_goes_to_that_role()
    {
        var routed = FeatureText.Routed(FeatureText.Feature(
            "Given the 'writer' process does x",
            "When the 'writer' process is killed",
            "And something about it",
            "And wait for '1' ms",
            "And something else"));
        Assert.Equal("writer", Assert.IsType<SendToRole>(routed.Steps[2].Action).Role);
        Assert.IsType<SendToAll>(routed.Steps[4].Action);
    }

    [Fact]
    public void Kill_phrase_inside_a_longer_step_is_an_ordinary_routed_step()
    {
        var routed = FeatureText.Routed(FeatureText.Feature("Then the 'reader' process should see the writer disconnected after the 'writer' process is killed"));
        Assert.Equal("reader", Assert.IsType<SendToRole>(routed.Steps[0].Action).Role);
    }

    [Fact]
    public void Unknown_role_is_an_error_at_the_step()
    {
        var scenario = Assert.Single(FeatureText.Scenarios(FeatureText.Feature("Given the 'proxy' process does x")));
        var (routed, errors) = StepRouter.Route(scenario);
        Assert.Null(routed);
        var error = Assert.Single(errors);
        Assert.Equal(3, error.Location.Line);
        Assert.Contains("unknown role 'proxy'", error.Message);
    }

    [Fact]
    public void Scenario_naming_no_process_is_an_error()
    {
        var scenario = Assert.Single(FeatureText.Scenarios(FeatureText.Feature("Given nothing in particular")));
        var (_, errors) = StepRouter.Route(scenario);
        Assert.Contains("names no process", Assert.Single(errors).Message);
    }

    [Fact]
    public void Repository_features_route_without_errors()
    {
        var features = Orchestrator.Features.FeatureLoader.Load(Repo.FeaturesPath);
        var routed = StepRouter.RouteAll(features.Scenarios);
        var crash = routed.Single(r => r.Scenario.Id == "2.1");
        Assert.Contains(crash.Steps, s => s.Action is KillRole { Role: "writer" });
        var race = routed.Single(r => r.Scenario.Id == "3.2");
        Assert.Equal(["reader", "reader-2", "writer"], race.Roles);
        var lonely = routed.Single(r => r.Scenario.Id == "3.3");
        Assert.Equal(["writer"], lonely.Kinds);
    }

    [Fact]
    public void Start_as_user_and_with_a_private_dev_shm_belong_to_the_orchestrator_and_and_follows_the_role()
    {
        var routed = FeatureText.Routed(FeatureText.Feature(
            "Given the 'reader' process creates buffer 'b' with metadata size '1024' and payload size '10240'",
            "When a new 'writer' process is started as user 'nobody'",
            "And it should fail to connect",
            "And a new 'reader-2' process is started with a private /dev/shm of '12' KB",
            "And a new 'reader-3' process is started with a private /dev/shm of '1024' KB and '4' files"));

        var asUser = Assert.IsType<StartRoleAsUser>(routed.Steps[1].Action);
        Assert.Equal(("writer", "nobody"), (asUser.Role, asUser.User));
        Assert.True(routed.Steps[1].IsOrchestratorStep);
        Assert.Equal("writer", Assert.IsType<SendToRole>(routed.Steps[2].Action).Role);
        Assert.Equal(new StartRoleWithPrivateShm("reader-2", 12, null), routed.Steps[3].Action);
        Assert.Equal(new StartRoleWithPrivateShm("reader-3", 1024, 4), routed.Steps[4].Action);
        Assert.True(routed.Steps[4].IsOrchestratorStep);
        Assert.Equal(["reader", "reader-2", "reader-3", "writer"], routed.Roles);
    }

    [Theory]
    [InlineData("a new 'writer' process is started as user ''")]
    [InlineData("a new 'writer' process is started as user 'nobody' now")]
    [InlineData("a new 'reader' process is started with a private /dev/shm of '12' MB")]
    [InlineData("a new 'reader' process is started with a private /dev/shm of '-1' KB")]
    public void Near_misses_of_the_wrapped_start_steps_go_to_the_worker(string text)
    {
        var routed = FeatureText.Routed(FeatureText.Feature("Given the 'reader' process is ready", $"When {text}"));
        Assert.IsType<SendToAll>(routed.Steps[1].Action);
        Assert.False(routed.Steps[1].IsOrchestratorStep);
    }

    [Fact]
    public void A_zero_size_private_dev_shm_and_an_unknown_role_are_feature_errors()
    {
        var (_, errors) = StepRouter.Route(Assert.Single(FeatureText.Scenarios(FeatureText.Feature(
            "When a new 'reader' process is started with a private /dev/shm of '0' KB",
            "And a new 'sender' process is started as user 'nobody'"))));
        Assert.Equal(2, errors.Count);
        Assert.Contains("'0'", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("unknown role 'sender'", errors[1].Message, StringComparison.Ordinal);
    }
}
