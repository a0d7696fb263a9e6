@testable import DiffDubCore
import Foundation
import Testing

/// ``HugePageMemory``: large blocks 2 MiB-aligned and advised for huge pages (on Linux, the
/// mapping that holds them carries the `hg` flag), small ones 64-byte aligned, all writable and
/// released with ``HugePageMemory/deallocate(_:)``.
@Suite struct HugePageMemoryTests {
    /// The `VmFlags` of the mapping of /proc/self/smaps that contains `address`, if any.
    private func mappingFlags(of address: UInt) -> [Substring]? {
        guard let smaps = readWholeFile("/proc/self/smaps") else { return nil }
        var inside = false
        for line in smaps.split(separator: "\n") {
            if let dash = line.firstIndex(of: "-"), let space = line.firstIndex(of: " "), dash < space,
                let start = UInt(line[..<dash], radix: 16), let end = UInt(line[line.index(after: dash)..<space], radix: 16)
            {
                inside = start <= address && address < end
            } else if inside && line.hasPrefix("VmFlags:") {
                return line.split(separator: " ").dropFirst().map { $0 }
            }
        }
        return nil
    }

    /// The contents of `path`, read to its end (Foundation stops /proc files after the first page).
    private func readWholeFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func largeBlocksAreAlignedAndAdvised() {
        let count = (HugePageMemory.threshold + 4096) / 4
        let values = HugePageMemory.allocateFloats(count)
        defer { HugePageMemory.deallocate(values) }
        let address = UInt(bitPattern: values)
        #expect(address % UInt(HugePageMemory.hugePageBytes) == 0)
        values.initialize(repeating: 1.5, count: count)
        #expect(values[0] == 1.5 && values[count - 1] == 1.5)
        #if os(Linux)
            let mode = (try? String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8)) ?? ""
            if mode.contains("[madvise]") || mode.contains("[always]") {
                #expect(mappingFlags(of: address)?.contains("hg") == true)
            }
        #endif
    }

    @Test func smallBlocksAreCacheLineAligned() {
        for bytes in [0, 1, 100, 1 << 16, HugePageMemory.threshold - 4] {
            let block = HugePageMemory.allocate(byteCount: bytes)
            #expect(UInt(bitPattern: block) % UInt(HugePageMemory.smallAlignment) == 0)
            block.storeBytes(of: 0xAB, as: UInt8.self)
            HugePageMemory.deallocate(block)
        }
    }

    @Test func tensorStorageOfSeveralMiBUsesHugePageBlocks() {
        let tensor = Tensor(shape: [2, 3 << 18], repeating: 2)  // 6 MiB
        #expect(UInt(bitPattern: tensor.storage.baseAddress) % UInt(HugePageMemory.hugePageBytes) == 0)
        #expect(tensor.scalars.allSatisfy { $0 == 2 })
    }
}
