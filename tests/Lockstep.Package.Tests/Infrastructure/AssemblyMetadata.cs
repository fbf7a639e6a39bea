using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;

namespace Lockstep.Package.Tests.Infrastructure;

/// <summary>Reads assembly references and Source Link maps with System.Reflection.Metadata, without loading anything.</summary>
internal static class AssemblyMetadata
{
    /// <summary>Kind GUID of the Source Link custom debug information in a portable PDB.</summary>
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    public static IReadOnlyList<(string Name, Version Version)> References(byte[] image)
    {
        using var pe = new PEReader(new MemoryStream(image));
        MetadataReader reader = pe.GetMetadataReader();
        var references = new List<(string, Version)>();
        foreach (AssemblyReferenceHandle handle in reader.AssemblyReferences)
        {
            AssemblyReference reference = reader.GetAssemblyReference(handle);
            references.Add((reader.GetString(reference.Name), reference.Version));
        }

        return references;
    }

    public static string? SourceLinkJson(byte[] portablePdb)
    {
        using var provider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(portablePdb));
        MetadataReader reader = provider.GetMetadataReader();
        foreach (CustomDebugInformationHandle handle in reader.GetCustomDebugInformation(EntityHandle.ModuleDefinition))
        {
            CustomDebugInformation information = reader.GetCustomDebugInformation(handle);
            if (reader.GetGuid(information.Kind) == SourceLinkKind)
                return Encoding.UTF8.GetString(reader.GetBlobBytes(information.Value));
        }

        return null;
    }
}
