/// The first 8 values of 4 consecutive tiles of a line, one vector per tile; read across, the
/// value at one offset of each tile (a 4 x 8 transpose in registers).
struct TileQuad {
    var tiles = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())

    /// All zero.
    init() {}

    /// Loads `line[tileStride * k ..< tileStride * k + 8]` for `k` in `0..<4`.
    @inline(__always)
    init(loading line: UnsafePointer<Float>, tileStride: Int) {
        let (raw, step) = (UnsafeRawPointer(line), tileStride * MemoryLayout<Float>.stride)
        tiles = (
            raw.loadUnaligned(as: SIMD8<Float>.self), raw.loadUnaligned(fromByteOffset: step, as: SIMD8<Float>.self),
            raw.loadUnaligned(fromByteOffset: 2 * step, as: SIMD8<Float>.self),
            raw.loadUnaligned(fromByteOffset: 3 * step, as: SIMD8<Float>.self)
        )
    }

    /// Stores the 4 tiles at `line + tileStride * k`, in increasing order of `k`.
    @inline(__always)
    func store(to line: UnsafeMutablePointer<Float>, tileStride: Int) {
        let (raw, step) = (UnsafeMutableRawPointer(line), tileStride * MemoryLayout<Float>.stride)
        raw.storeBytes(of: tiles.0, as: SIMD8<Float>.self)
        raw.storeBytes(of: tiles.1, toByteOffset: step, as: SIMD8<Float>.self)
        raw.storeBytes(of: tiles.2, toByteOffset: 2 * step, as: SIMD8<Float>.self)
        raw.storeBytes(of: tiles.3, toByteOffset: 3 * step, as: SIMD8<Float>.self)
    }

    /// Value `offset` of each of the 4 tiles.
    @inline(__always)
    subscript(offset: Int) -> SIMD4<Float> {
        get { SIMD4(tiles.0[offset], tiles.1[offset], tiles.2[offset], tiles.3[offset]) }
        set {
            tiles.0[offset] = newValue[0]
            tiles.1[offset] = newValue[1]
            tiles.2[offset] = newValue[2]
            tiles.3[offset] = newValue[3]
        }
    }
}

/// Moves values between a line of tiles and per-offset columns:
/// `columns[i * columnStride + t]` is `line[tileStride * t + i]` for `i` in `0..<count`
/// (`count <= 8`) and `t` in `0..<tiles`. `toColumns` splits the line into the columns, so that
/// a transform across each tile's values runs over contiguous memory; otherwise the columns are
/// interleaved back into the line (`tileStride >= count`). Four tiles at a time through a
/// ``TileQuad``.
///
/// - Precondition: `line` is readable (`toColumns`) or writable (otherwise) up to
///   `line[tileStride * (tiles - 1) + 8]`; interleaving leaves what lies past
///   `line[tileStride * tiles]` unspecified.
@inline(__always)
func transposeTiles(
    line: UnsafeMutablePointer<Float>, tileStride: Int, tiles: Int, count: Int,
    columns: UnsafeMutablePointer<Float>, columnStride: Int, toColumns: Bool
) {
    var t = 0
    while t + 4 <= tiles {
        let start = line + tileStride * t
        var quad = toColumns ? TileQuad(loading: start, tileStride: tileStride) : TileQuad()
        for i in 0..<count {
            let column = UnsafeMutableRawPointer(columns + i * columnStride + t)
            if toColumns {
                column.storeBytes(of: quad[i], as: SIMD4<Float>.self)
            } else {
                quad[i] = UnsafeRawPointer(column).loadUnaligned(as: SIMD4<Float>.self)
            }
        }
        if !toColumns { quad.store(to: start, tileStride: tileStride) }
        t += 4
    }
    for t in t..<tiles {
        for i in 0..<count {
            if toColumns {
                columns[i * columnStride + t] = line[tileStride * t + i]
            } else {
                line[tileStride * t + i] = columns[i * columnStride + t]
            }
        }
    }
}
