using System.Diagnostics;
using FashionMnist.Baselines.Reporting;
using FashionMnist.Baselines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace FashionMnist.Baselines.Tests.Reporting;

/// <summary>One writer per run folder, refused at once with the holder's name; a killed writer's lock is stale.</summary>
public sealed class RunFolderLockTests
{
    [Fact]
    public void Of_two_writers_exactly_one_proceeds_and_the_other_is_told_who_holds_the_folder()
    {
        using var dir = new TempDirectory();
        var folder = new RunFolder(dir.Combine("run"));

        using (RunFolderLock first = folder.Lock())
        {
            folder.Invoking(f => f.Lock()).Should().Throw<RunFolderLockedException>()
                .WithMessage($"*{folder.Path} is in use by another run (process {Environment.ProcessId} on {Environment.MachineName}, since *");
            first.TakenOverFrom.Should().BeNull();
        }

        using RunFolderLock again = folder.Lock();
        again.TakenOverFrom.Should().BeNull("a released lock leaves no file behind");
    }

    [LinuxFact]
    public void A_lock_held_by_another_process_refuses_and_the_lock_of_a_killed_process_is_taken_over()
    {
        using var dir = new TempDirectory();
        var folder = new RunFolder(dir.Combine("run"));
        string lockFile = dir.Combine(".run.lock");
        File.WriteAllText(lockFile + ".owner", "process 4242 on elsewhere, since 2026-01-01");
        // util-linux flock(1) takes the same advisory lock .NET takes for FileShare.None, in a process of its own.
        using Process holder = Process.Start(new ProcessStartInfo("flock", ["--exclusive", lockFile, "sleep", "60"]))!;
        try
        {
            SpinWait.SpinUntil(() => IsLocked(lockFile), TimeSpan.FromSeconds(10)).Should().BeTrue("flock holds the file");
            folder.Invoking(f => f.Lock()).Should().Throw<RunFolderLockedException>().WithMessage("*process 4242 on elsewhere*");
        }
        finally
        {
            holder.Kill(entireProcessTree: true); // SIGKILL to flock and its sleep (which inherited the locked file): the kernel drops the lock, the file stays
            holder.WaitForExit();
        }

        File.Exists(lockFile).Should().BeTrue();
        // The kernel drops the lock when the last process holding the file (flock's sleep) is gone, a moment after the kill.
        SpinWait.SpinUntil(() => !IsLocked(lockFile), TimeSpan.FromSeconds(10)).Should().BeTrue("a killed holder's lock goes with it");
        using RunFolderLock taken = folder.Lock();
        taken.TakenOverFrom.Should().Be("process 4242 on elsewhere, since 2026-01-01");
        File.ReadAllText(lockFile + ".owner").Should().StartWith($"process {Environment.ProcessId} ");
    }

    /// <summary>Whether another process holds the file's lock (opened and closed again, never deleted).</summary>
    static bool IsLocked(string path)
    {
        try
        {
            new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None).Dispose();
            return false;
        }
        catch (FileNotFoundException)
        {
            return false; // flock has not created it yet
        }
        catch (IOException)
        {
            return true;
        }
    }
}
