// Makes TorchSharp's libLibTorchSharp.so load on systems whose libstdc++ predates GCC 13 (Debian 12, Ubuntu 22.04, ...).
//
// Why: TorchSharp 0.107 builds libLibTorchSharp.so with GCC 13, which records a requirement on the symbol version
// GLIBCXX_3.4.32 for exactly one symbol, _ZSt21ios_base_library_initv. That symbol is a no-op marker that GCC 13 emits
// so that the static initialisation of <iostream> links against a new enough libstdc++; nothing calls it at run time.
// An older libstdc++ lacks the version, so the dynamic loader refuses the whole library and TorchSharp reports a
// misleading "doesn't contain a reference to libtorch-cpu-linux-x64".
//
// The fix: set VER_FLG_WEAK (0x2) on that one Elf64_Vernaux entry in .gnu.version_r. The loader then only warns about
// the missing version. The fix is applied to the copy in the build output, never to the NuGet cache, only when the
// system's libstdc++ lacks the version, and only when the requirement covers nothing but the marker symbol.
//
// This file is compiled twice: by MSBuild's RoslynCodeTaskFactory (the task below) and by the unit tests, which define
// GLIBCXX_FIX_TESTS to test the ELF logic without MSBuild.
#nullable enable
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
#if !GLIBCXX_FIX_TESTS
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>MSBuild task: weakens the GLIBCXX_3.4.32 requirement of the given libLibTorchSharp.so copies when needed.</summary>
public sealed class PatchLibTorchSharpGlibcxx : Task
{
    /// <summary>The copies of libLibTorchSharp.so in the build or publish output.</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>Optional path of the libstdc++.so.6 to check instead of the one the system's loader finds.</summary>
    public string SystemLibStdCxx { get; set; } = "";

    public override bool Execute()
    {
        string? libStdCxx = string.IsNullOrEmpty(SystemLibStdCxx) ? GlibcxxVersionPatcher.FindSystemLibStdCxx() : SystemLibStdCxx;
        if (libStdCxx == null || !File.Exists(libStdCxx))
        {
            Log.LogWarning(null, "FMB0001", null, null, 0, 0, 0, 0,
                "TorchSharp native fix: no system libstdc++.so.6 found (looked with 'ldconfig -p' and in the usual folders); " +
                "libLibTorchSharp.so was left as it is. Install libstdc++6 or set the property LibTorchSharpSystemLibStdCxx.");
            return true;
        }

        HashSet<string> available;
        try
        {
            available = GlibcxxVersionPatcher.ReadDefinedVersions(File.ReadAllBytes(libStdCxx));
        }
        catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
        {
            Log.LogWarning(null, "FMB0002", null, libStdCxx, 0, 0, 0, 0,
                $"TorchSharp native fix: cannot read the symbol versions of {libStdCxx}: {e.Message}");
            return true;
        }

        if (available.Contains(GlibcxxVersionPatcher.MarkerVersion))
        {
            Log.LogMessage(MessageImportance.Low,
                $"TorchSharp native fix: {libStdCxx} provides {GlibcxxVersionPatcher.MarkerVersion}; nothing to do.");
            return true;
        }

        foreach (ITaskItem item in Files)
        {
            string path = item.ItemSpec;
            try
            {
                PatchResult result = GlibcxxVersionPatcher.Patch(path, available);
                switch (result.Outcome)
                {
                    case PatchOutcome.Patched:
                        Log.LogMessage(MessageImportance.High,
                            $"TorchSharp native fix: {path}: marked {GlibcxxVersionPatcher.MarkerVersion} weak, because {libStdCxx} lacks it (it only guards the no-op symbol {GlibcxxVersionPatcher.MarkerSymbol}).");
                        break;
                    case PatchOutcome.AlreadyWeak:
                    case PatchOutcome.NotRequired:
                        Log.LogMessage(MessageImportance.Low, $"TorchSharp native fix: {path}: {result.Detail}");
                        break;
                    default:
                        Log.LogWarning(null, "FMB0003", null, path, 0, 0, 0, 0,
                            $"TorchSharp native fix: cannot make {path} load with {libStdCxx}: {result.Detail}");
                        break;
                }
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
            {
                Log.LogWarning(null, "FMB0004", null, path, 0, 0, 0, 0,
                    $"TorchSharp native fix: cannot patch {path}: {e.Message}");
            }
        }
        return true;
    }
}
#endif

/// <summary>What <see cref="GlibcxxVersionPatcher.Patch"/> did to a file.</summary>
public enum PatchOutcome
{
    /// <summary>The requirement was strong and is now weak.</summary>
    Patched,
    /// <summary>The requirement was already weak (an earlier run patched this copy).</summary>
    AlreadyWeak,
    /// <summary>The file does not require the marker version at all.</summary>
    NotRequired,
    /// <summary>Patching would not help or would not be safe; see the detail.</summary>
    Refused,
}

/// <summary>The outcome of a patch and a sentence that explains it.</summary>
public sealed class PatchResult
{
    public PatchResult(PatchOutcome outcome, string detail)
    {
        Outcome = outcome;
        Detail = detail;
    }

    public PatchOutcome Outcome { get; }
    public string Detail { get; }
}

/// <summary>Reads the symbol-version sections of 64-bit little-endian ELF files and weakens one requirement.</summary>
public static class GlibcxxVersionPatcher
{
    public const string MarkerVersion = "GLIBCXX_3.4.32";
    public const string MarkerSymbol = "_ZSt21ios_base_library_initv";
    public const string LibStdCxx = "libstdc++.so.6";

    const uint ShtDynSym = 11;
    const uint ShtGnuVerDef = 0x6ffffffd;
    const uint ShtGnuVerNeed = 0x6ffffffe;
    const uint ShtGnuVerSym = 0x6fffffff;
    const ushort VerFlagWeak = 0x2;

    /// <summary>Finds the libstdc++.so.6 that the dynamic loader would use, or null.</summary>
    public static string? FindSystemLibStdCxx()
    {
        try
        {
            var start = new ProcessStartInfo(File.Exists("/sbin/ldconfig") ? "/sbin/ldconfig" : "ldconfig", "-p")
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            using Process? process = Process.Start(start);
            if (process != null)
            {
                string output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                foreach (string line in output.Split('\n'))
                {
                    // "	libstdc++.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libstdc++.so.6"
                    string trimmed = line.Trim();
                    if (trimmed.StartsWith(LibStdCxx + " ", StringComparison.Ordinal) && trimmed.Contains("x86-64"))
                    {
                        string path = trimmed.Substring(trimmed.IndexOf("=>", StringComparison.Ordinal) + 2).Trim();
                        if (File.Exists(path)) return path;
                    }
                }
            }
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception || e is InvalidOperationException)
        {
            // No ldconfig: fall through to the usual folders.
        }

        string[] usual =
        {
            "/usr/lib/x86_64-linux-gnu/" + LibStdCxx, "/lib/x86_64-linux-gnu/" + LibStdCxx,
            "/usr/lib64/" + LibStdCxx, "/lib64/" + LibStdCxx, "/usr/lib/" + LibStdCxx,
        };
        return usual.FirstOrDefault(File.Exists);
    }

    /// <summary>The version names a shared library defines (its .gnu.version_d), such as GLIBCXX_3.4.30.</summary>
    public static HashSet<string> ReadDefinedVersions(byte[] elf)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        Section? verdef = FindSections(elf).FirstOrDefault(s => s.Type == ShtGnuVerDef);
        if (verdef == null) return names;
        Section strings = SectionAt(elf, verdef.Link);
        long entry = verdef.Offset;
        for (uint i = 0; i < verdef.Info; i++)
        {
            uint auxOffset = U32(elf, entry + 12);
            names.Add(CString(elf, strings.Offset + U32(elf, entry + auxOffset)));
            uint next = U32(elf, entry + 16);
            if (next == 0) break;
            entry += next;
        }
        return names;
    }

    /// <summary>The versions a file requires from <paramref name="library"/>, with their weak flags.</summary>
    public static Dictionary<string, bool> ReadRequiredVersions(byte[] elf, string library)
    {
        var required = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (Vernaux aux in ReadVernaux(elf).Where(a => a.Library == library))
        {
            required[aux.Name] = (aux.Flags & VerFlagWeak) != 0;
        }
        return required;
    }

    /// <summary>
    /// Weakens the GLIBCXX_3.4.32 requirement of the ELF file at <paramref name="path"/> when that is both sufficient
    /// (every other libstdc++ version it needs is in <paramref name="available"/>) and safe (only the no-op marker
    /// symbol is bound to that version). Idempotent; writes a temporary file and renames it over the original.
    /// </summary>
    public static PatchResult Patch(string path, ISet<string> available)
    {
        byte[] elf = File.ReadAllBytes(path);
        List<Vernaux> all = ReadVernaux(elf);
        Vernaux? marker = all.FirstOrDefault(a => a.Library == LibStdCxx && a.Name == MarkerVersion);
        if (marker == null)
        {
            return new PatchResult(PatchOutcome.NotRequired, $"does not require {MarkerVersion}; nothing to do.");
        }

        string[] missing = all
            .Where(a => a.Library == LibStdCxx && a.Name != MarkerVersion && (a.Flags & VerFlagWeak) == 0 && !available.Contains(a.Name))
            .Select(a => a.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        if (missing.Length > 0)
        {
            return new PatchResult(PatchOutcome.Refused,
                $"the system libstdc++ also lacks {string.Join(", ", missing)}; install a newer libstdc++6 (GCC 13 or later).");
        }

        string[] bound = SymbolsBoundToVersion(elf, marker.Index);
        if (bound.Length != 1 || bound[0] != MarkerSymbol)
        {
            return new PatchResult(PatchOutcome.Refused,
                $"{MarkerVersion} guards [{string.Join(", ", bound)}], not only {MarkerSymbol}; weakening it would not be safe.");
        }

        if ((marker.Flags & VerFlagWeak) != 0)
        {
            return new PatchResult(PatchOutcome.AlreadyWeak, $"{MarkerVersion} is already weak; nothing to do.");
        }

        ushort flags = (ushort)(marker.Flags | VerFlagWeak);
        elf[marker.FlagsOffset] = (byte)(flags & 0xff);
        elf[marker.FlagsOffset + 1] = (byte)(flags >> 8);

        string temporary = path + ".patching";
        File.WriteAllBytes(temporary, elf);
        File.Replace(temporary, path, destinationBackupFileName: null);
        return new PatchResult(PatchOutcome.Patched, $"{MarkerVersion} is now weak.");
    }

    sealed class Section
    {
        public uint Type;
        public long Offset;
        public long Size;
        public uint Link;
        public uint Info;
        public long EntrySize;
    }

    sealed class Vernaux
    {
        public string Library = "";
        public string Name = "";
        public ushort Flags;
        public ushort Index;
        public long FlagsOffset;
    }

    static List<Vernaux> ReadVernaux(byte[] elf)
    {
        var result = new List<Vernaux>();
        Section? verneed = FindSections(elf).FirstOrDefault(s => s.Type == ShtGnuVerNeed);
        if (verneed == null) return result;
        Section strings = SectionAt(elf, verneed.Link);
        long need = verneed.Offset;
        for (uint i = 0; i < verneed.Info; i++)
        {
            ushort count = U16(elf, need + 2);
            string library = CString(elf, strings.Offset + U32(elf, need + 4));
            long aux = need + U32(elf, need + 8);
            for (int j = 0; j < count; j++)
            {
                result.Add(new Vernaux
                {
                    Library = library,
                    Flags = U16(elf, aux + 4),
                    Index = U16(elf, aux + 6),
                    Name = CString(elf, strings.Offset + U32(elf, aux + 8)),
                    FlagsOffset = aux + 4,
                });
                uint nextAux = U32(elf, aux + 12);
                if (nextAux == 0) break;
                aux += nextAux;
            }
            uint next = U32(elf, need + 12);
            if (next == 0) break;
            need += next;
        }
        return result;
    }

    static string[] SymbolsBoundToVersion(byte[] elf, ushort versionIndex)
    {
        List<Section> sections = FindSections(elf);
        Section? dynsym = sections.FirstOrDefault(s => s.Type == ShtDynSym);
        Section? versym = sections.FirstOrDefault(s => s.Type == ShtGnuVerSym);
        if (dynsym == null || versym == null) return Array.Empty<string>();
        Section strings = SectionAt(elf, dynsym.Link);
        long count = dynsym.Size / dynsym.EntrySize;
        var names = new List<string>();
        for (long i = 0; i < count; i++)
        {
            // Bit 15 of a versym entry marks a hidden symbol; the low 15 bits are the version index.
            if ((U16(elf, versym.Offset + 2 * i) & 0x7fff) == versionIndex)
            {
                names.Add(CString(elf, strings.Offset + U32(elf, dynsym.Offset + i * dynsym.EntrySize)));
            }
        }
        return names.ToArray();
    }

    static List<Section> FindSections(byte[] elf)
    {
        // e_ident: 0x7f 'E' 'L' 'F', class 2 (64-bit), data 1 (little-endian).
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            throw new InvalidDataException("not an ELF file");
        }
        if (elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException("not a 64-bit little-endian ELF file");
        }
        long headerOffset = (long)U64(elf, 0x28);
        ushort headerSize = U16(elf, 0x3a);
        ushort headerCount = U16(elf, 0x3c);
        var sections = new List<Section>(headerCount);
        for (int i = 0; i < headerCount; i++)
        {
            long h = headerOffset + (long)i * headerSize;
            sections.Add(new Section
            {
                Type = U32(elf, h + 4),
                Offset = (long)U64(elf, h + 24),
                Size = (long)U64(elf, h + 32),
                Link = U32(elf, h + 40),
                Info = U32(elf, h + 44),
                EntrySize = (long)U64(elf, h + 56),
            });
        }
        return sections;
    }

    static Section SectionAt(byte[] elf, uint index)
    {
        List<Section> sections = FindSections(elf);
        if (index >= sections.Count) throw new InvalidDataException($"section index {index} out of range");
        return sections[(int)index];
    }

    static ushort U16(byte[] b, long o) => CheckedRange(b, o, 2) ? (ushort)(b[o] | b[o + 1] << 8) : (ushort)0;

    static uint U32(byte[] b, long o) => CheckedRange(b, o, 4) ? (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24) : 0;

    static ulong U64(byte[] b, long o) => U32(b, o) | (ulong)U32(b, o + 4) << 32;

    static bool CheckedRange(byte[] b, long offset, int length)
    {
        if (offset < 0 || offset + length > b.Length) throw new InvalidDataException($"truncated ELF file (offset {offset})");
        return true;
    }

    static string CString(byte[] b, long offset)
    {
        CheckedRange(b, offset, 1);
        long end = offset;
        while (end < b.Length && b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, (int)offset, (int)(end - offset));
    }
}
