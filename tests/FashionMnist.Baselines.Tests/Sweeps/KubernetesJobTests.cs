using FashionMnist.Baselines.Cli;
using FashionMnist.Baselines.Cli.Sweeps;
using FashionMnist.Baselines.Tests.Support;
using FluentAssertions;
using k8s;
using k8s.Models;
using Xunit;

namespace FashionMnist.Baselines.Tests.Sweeps;

/// <summary>
/// <c>fmb sweep k8s</c>'s manifest, read back with the official Kubernetes client's types (KubernetesClient): an
/// indexed Job with one completion per trial, the pods' command, the volume, and the sweep file in a ConfigMap.
/// </summary>
public sealed class KubernetesJobTests
{
    [Fact]
    public void The_manifest_is_an_indexed_job_of_every_trial_with_the_volume_and_the_sweep_file()
    {
        using var dir = new TempDirectory();
        string sweep = dir.Combine("seeds.yaml");
        File.WriteAllText(sweep, "name: seeds\nmodel: cnn\noptions: { monitor-test: true }\nseeds: [0, 1, 2, 3, 4]\n");
        string manifest = dir.Combine("job.yaml");

        using (new ConsoleCapture())
        {
            CommandLine.Run(["sweep", "k8s", sweep, "--image", "registry.example/fmb:0.2.0", "--volume", "fmb-runs", "--parallelism", "2",
                "--threads", "4", "--memory", "5Gi", "--output", manifest], CancellationToken.None).Should().Be(ExitCodes.Success);
        }

        List<object> objects = KubernetesYaml.LoadAllFromString(File.ReadAllText(manifest));
        objects.Should().HaveCount(2);
        V1ConfigMap configMap = objects[0].Should().BeOfType<V1ConfigMap>().Subject;
        V1Job job = objects[1].Should().BeOfType<V1Job>().Subject;

        job.Metadata.Name.Should().Be("seeds");
        job.Spec.CompletionMode.Should().Be("Indexed");
        job.Spec.Completions.Should().Be(5);
        job.Spec.Parallelism.Should().Be(2);
        job.Spec.BackoffLimitPerIndex.Should().Be(3);
        V1PodSpec pod = job.Spec.Template.Spec;
        pod.RestartPolicy.Should().Be("Never");
        V1Container container = pod.Containers.Should().ContainSingle().Subject;
        container.Image.Should().Be("registry.example/fmb:0.2.0");
        container.Command.Should().Equal("fmb");
        container.Args.Should().Equal("sweep", "run", "/sweep/seeds.yaml", "--root", "/runs/seeds", "--threads", "4");
        container.Resources.Requests["cpu"].Should().Be(new ResourceQuantity("4"));
        container.Resources.Limits["memory"].Should().Be(new ResourceQuantity("5Gi"));
        container.Env.Should().BeNullOrEmpty("Kubernetes itself sets JOB_COMPLETION_INDEX in each pod of an indexed job");
        container.VolumeMounts.Select(m => (m.Name, m.MountPath)).Should().Equal(("runs", "/runs"), ("sweep", "/sweep"));
        pod.Volumes.Single(v => v.Name == "runs").PersistentVolumeClaim.ClaimName.Should().Be("fmb-runs");
        pod.Volumes.Single(v => v.Name == "sweep").ConfigMap.Name.Should().Be(configMap.Metadata.Name);

        // The pods read the same sweep: the ConfigMap holds the file as it is.
        configMap.Data["seeds.yaml"].Should().Be(File.ReadAllText(sweep));
        string copy = dir.Combine("copy", "seeds.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.WriteAllText(copy, configMap.Data["seeds.yaml"]);
        SweepPlan.Create(SweepFile.Read(copy)).Trials.Select(t => t.Name).Should().Equal("seed-0", "seed-1", "seed-2", "seed-3", "seed-4");
    }

    [Fact]
    public void Without_an_image_or_a_volume_the_command_says_which_is_missing()
    {
        using var dir = new TempDirectory();
        string sweep = dir.Combine("s.yaml");
        File.WriteAllText(sweep, "name: s\nmodel: cnn\n");

        Action noImage = () => SweepCommand.Run(["k8s", sweep, "--volume", "v"], CancellationToken.None);
        Action noVolume = () => SweepCommand.Run(["k8s", sweep, "--image", "i"], CancellationToken.None);

        noImage.Should().Throw<UsageException>().WithMessage("*--image*");
        noVolume.Should().Throw<UsageException>().WithMessage("*--volume*");
    }
}
