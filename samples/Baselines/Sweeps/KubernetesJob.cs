using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FashionMnist.Baselines.Cli.Sweeps;

/// <summary>
/// The Kubernetes manifest of a sweep: a ConfigMap with the sweep file, and an indexed Job (<c>completionMode:
/// Indexed</c>) with one completion per trial. Pod <c>i</c> gets <c>JOB_COMPLETION_INDEX=i</c> from Kubernetes and runs
/// <c>fmb sweep run /sweep/FILE</c>, which trains trial <c>i</c> into the claimed volume; an evicted or failed pod is
/// replaced (up to <c>backoffLimitPerIndex</c> times per index) and its trial resumes from its last checkpoint.
/// </summary>
internal static class KubernetesJob
{
    /// <summary>Where the pods mount the volume and the sweep file.</summary>
    public const string RunsMount = "/runs";
    public const string SweepMount = "/sweep";

    /// <summary>The manifest as YAML: two documents, the ConfigMap and the Job.</summary>
    /// <param name="plan">The sweep.</param>
    /// <param name="settings">Image, volume claim and the pods' size.</param>
    public static string Write(SweepPlan plan, KubernetesJobSettings settings)
    {
        string name = plan.File.Name;
        string fileName = Path.GetFileName(plan.File.Path);
        string threads = settings.Threads.ToString(CultureInfo.InvariantCulture);
        YamlMappingNode Labels() => Map(("app.kubernetes.io/name", Text("fashion-mnist-baselines")), ("fashion-mnist-baselines/sweep", Text(name)));

        YamlMappingNode configMap = Map(
            ("apiVersion", Text("v1")),
            ("kind", Text("ConfigMap")),
            ("metadata", Map(("name", Text(name + "-sweep")), ("labels", Labels()))),
            ("data", Map((fileName, new YamlScalarNode(File.ReadAllText(plan.File.Path)) { Style = ScalarStyle.Literal }))));

        YamlMappingNode container = Map(
            ("name", Text("trial")),
            ("image", Text(settings.Image)),
            ("command", Sequence(Text("fmb"))),
            // The pod's trial comes from JOB_COMPLETION_INDEX; the image holds the data set (the Dockerfile copies
            // Debian's dataset-fashion-mnist to where the library looks first), so pods need no download.
            ("args", Sequence(
                Text("sweep"), Text("run"), Text($"{SweepMount}/{fileName}"), Text("--root"), Text($"{RunsMount}/{name}"), Text("--threads"), Text(threads))),
            ("resources", Map(
                ("requests", Map(("cpu", Text(threads)), ("memory", Text(settings.Memory)))),
                ("limits", Map(("memory", Text(settings.Memory)))))),
            ("volumeMounts", Sequence(
                Map(("name", Text("runs")), ("mountPath", Text(RunsMount))),
                Map(("name", Text("sweep")), ("mountPath", Text(SweepMount)), ("readOnly", Plain("true"))))));

        YamlMappingNode job = Map(
            ("apiVersion", Text("batch/v1")),
            ("kind", Text("Job")),
            ("metadata", Map(("name", Text(name)), ("labels", Labels()))),
            ("spec", Map(
                ("completionMode", Text("Indexed")),
                ("completions", Number(plan.Trials.Count)),
                ("parallelism", Number(Math.Min(settings.Parallelism ?? plan.Trials.Count, plan.Trials.Count))),
                // Per index, so one failing trial does not use up the retries of the others (Kubernetes 1.29 and later).
                ("backoffLimitPerIndex", Number(settings.RetriesPerTrial)),
                ("template", Map(
                    ("metadata", Map(("labels", Labels()))),
                    ("spec", Map(
                        ("restartPolicy", Text("Never")),
                        ("containers", Sequence(container)),
                        ("volumes", Sequence(
                            Map(("name", Text("runs")), ("persistentVolumeClaim", Map(("claimName", Text(settings.VolumeClaim))))),
                            Map(("name", Text("sweep")), ("configMap", Map(("name", Text(name + "-sweep"))))))))))))));

        var yaml = new YamlStream(new YamlDocument(configMap), new YamlDocument(job));
        var text = new StringWriter();
        yaml.Save(text, assignAnchors: false);
        return $"# fmb sweep k8s {fileName}: {plan.Trials.Count} trials of {name}; kubectl apply -f this file\n" + text;
    }

    static YamlMappingNode Map(params (string Key, YamlNode Value)[] entries)
    {
        var map = new YamlMappingNode();
        foreach ((string key, YamlNode value) in entries) map.Add(key, value);
        return map;
    }

    static YamlSequenceNode Sequence(params YamlNode[] items) => new(items);

    /// <summary>A string, quoted where YAML would otherwise read a number or a boolean (Kubernetes wants strings in args).</summary>
    static YamlScalarNode Text(string value) =>
        new(value) { Style = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) || value is "true" or "false" ? ScalarStyle.DoubleQuoted : ScalarStyle.Any };

    static YamlScalarNode Number(int value) => Plain(value.ToString(CultureInfo.InvariantCulture));

    static YamlScalarNode Plain(string value) => new(value) { Style = ScalarStyle.Plain };
}

/// <summary>What <c>fmb sweep k8s</c> is told about the cluster.</summary>
/// <param name="Image">The image of the CLI (see the repository's Dockerfile).</param>
/// <param name="VolumeClaim">A PersistentVolumeClaim that every pod mounts read-write (ReadWriteMany) at /runs.</param>
/// <param name="Parallelism">Pods at a time (default: every trial at once).</param>
/// <param name="Threads">Threads per trial, and the CPUs each pod requests.</param>
/// <param name="Memory">Memory each pod requests and may use.</param>
/// <param name="RetriesPerTrial">Pods Kubernetes may start again per trial after a failure.</param>
internal sealed record KubernetesJobSettings(string Image, string VolumeClaim, int? Parallelism, int Threads, string Memory, int RetriesPerTrial);
