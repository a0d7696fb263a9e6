/// The globals a checkpoint's pickle may name (`GLOBAL`, `STACK_GLOBAL`, `INST`): the
/// unpickler refuses any other with ``CheckpointError/forbiddenGlobal(path:module:name:offset:)``
/// as soon as it is read, so a pickle that would call `posix.system` or `builtins.eval` in
/// Python is an error naming that global, never a file that loads with nothing in it.
///
/// The list is PyTorch's `weights_only` default (torch/_weights_only_unpickler.py,
/// `_get_allowed_globals`):
/// - `collections.OrderedDict`, `collections.Counter`, `torch.nn.parameter.Parameter`,
///   `torch.serialization._get_layout`, `torch.Size`, `torch.Tensor`, `torch.device`,
///   `_codecs.encode`, `builtins.bytearray`, `builtins.set`, `builtins.complex`;
/// - the dtypes (`torch.float32`, ...) and quantization schemes (`torch.per_tensor_affine`, ...);
/// - the tensor and storage classes (`torch.FloatTensor`, `torch.FloatStorage`,
///   `torch.cuda.HalfStorage`, `torch.storage.UntypedStorage`, ...);
/// - the rebuild functions `torch._utils._rebuild_*` and `torch._tensor._rebuild_from_type_v2`;
///
/// plus a few classes of plain data that training checkpoints (PyTorch Lightning) hold beside
/// the weights: Lightning's `AttributeDict` (hyper-parameters), Lightning callback classes
/// (old Lightning keys callback states by class), `argparse.Namespace` and NumPy scalars and
/// arrays (`numpy.core.multiarray.scalar`, `_reconstruct`, `numpy.dtype`, `numpy.ndarray`).
/// These are never called: they stay inert ``PickleValue/object(_:)`` values. Python 2 module
/// names (`__builtin__`, `copy_reg`) are read as their Python 3 names, as pickle does.
package enum PickleGlobals {
    /// Whether `module.name` may appear in a checkpoint's pickle.
    package static func isAllowed(module: String, name: String) -> Bool {
        let module = python3Modules[module] ?? module
        if exact.contains("\(module).\(name)") { return true }
        switch module {
        case "torch":
            return dtypes.contains(name) || quantizationSchemes.contains(name)
                || isTensorOrStorageClass(name)
        case "torch.cuda":
            return isTensorOrStorageClass(name)
        case "torch._utils":
            return rebuildFunctions.contains(name)
        default:
            return trainingModules.contains { module.hasPrefix($0) }
        }
    }

    private static let python3Modules = ["__builtin__": "builtins", "copy_reg": "copyreg"]

    private static let exact: Set<String> = [
        "collections.OrderedDict", "collections.Counter", "torch.nn.parameter.Parameter",
        "torch.serialization._get_layout", "torch.Size", "torch.Tensor", "torch.device",
        "_codecs.encode", "builtins.bytearray", "builtins.set", "builtins.complex",
        "torch.storage.TypedStorage", "torch.storage.UntypedStorage",
        "torch._tensor._rebuild_from_type_v2",
        // Plain data of training checkpoints (never called).
        "pytorch_lightning.utilities.parsing.AttributeDict",
        "lightning_fabric.utilities.data.AttributeDict",
        "lightning.fabric.utilities.data.AttributeDict",
        "argparse.Namespace",
        "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar",
        "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct",
        "numpy.dtype", "numpy.ndarray",
    ]

    /// Callback classes are dictionary keys in old Lightning checkpoints.
    private static let trainingModules = ["pytorch_lightning.callbacks.", "lightning.pytorch.callbacks."]

    private static let rebuildFunctions: Set<String> = [
        "_rebuild_parameter", "_rebuild_parameter_with_state", "_rebuild_qtensor", "_rebuild_tensor",
        "_rebuild_tensor_v2", "_rebuild_tensor_v3", "_rebuild_sparse_tensor",
        "_rebuild_meta_tensor_no_storage", "_rebuild_wrapper_subclass",
        "_rebuild_device_tensor_from_numpy", "_rebuild_device_tensor_from_cpu_tensor",
    ]

    private static let dtypes: Set<String> = [
        "float32", "float", "float64", "double", "float16", "half", "bfloat16", "complex32",
        "chalf", "complex64", "cfloat", "complex128", "cdouble", "uint8", "int8", "int16",
        "short", "int32", "int", "int64", "long", "bool", "qint8", "quint8", "qint32",
        "quint4x2", "quint2x4", "float8_e5m2", "float8_e4m3fn", "float8_e5m2fnuz",
        "float8_e4m3fnuz", "float8_e8m0fnu", "float4_e2m1fn_x2", "bits8", "bits16", "bits1x8",
        "bits2x4", "bits4x2", "uint16", "uint32", "uint64", "uint1", "uint2", "uint3", "uint4",
        "uint5", "uint6", "uint7", "int1", "int2", "int3", "int4", "int5", "int6", "int7",
    ]

    private static let quantizationSchemes: Set<String> = [
        "per_tensor_affine", "per_tensor_symmetric", "per_channel_affine",
        "per_channel_symmetric", "per_channel_affine_float_qparams",
    ]

    /// `FloatTensor`, `BFloat16Storage`, `UntypedStorage`, ...: a capitalised name ending in
    /// `Tensor` or `Storage`, letters and digits only.
    private static func isTensorOrStorageClass(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isUppercase,
            name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) })
        else { return false }
        return name.hasSuffix("Tensor") || name.hasSuffix("Storage")
    }
}
