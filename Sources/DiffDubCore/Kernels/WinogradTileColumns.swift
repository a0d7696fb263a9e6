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

/// The first 8 values of 8 consecutive tiles of a line, one vector per tile, and their transpose
/// (the value at each offset across the 8 tiles), in 24 two-vector shuffles: three rounds that
/// each pair vectors and split them into even and odd lanes. A pair of vectors differing in bit
/// `b` of their index gives lanes `(b, lane bit 2, lane bit 1)` and a new index bit `lane bit
/// 0`; pairing by index bits 0, 1, 2 in turn leaves lane `i` of vector `j` holding value `j` of
/// tile `i`.
struct TileOctet {
    var vectors: (
        SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>
    )

    /// The 8 vectors `v0 ... v7`.
    @inline(__always)
    init(
        _ v0: SIMD8<Float>, _ v1: SIMD8<Float>, _ v2: SIMD8<Float>, _ v3: SIMD8<Float>, _ v4: SIMD8<Float>,
        _ v5: SIMD8<Float>, _ v6: SIMD8<Float>, _ v7: SIMD8<Float>
    ) {
        vectors = (v0, v1, v2, v3, v4, v5, v6, v7)
    }

    /// Even lanes of `a` then of `b`, and odd lanes of `a` then of `b`.
    @inline(__always)
    private static func split(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> (SIMD8<Float>, SIMD8<Float>) {
        (SIMD8(lowHalf: a.evenHalf, highHalf: b.evenHalf), SIMD8(lowHalf: a.oddHalf, highHalf: b.oddHalf))
    }

    /// Lane `i` of vector `j` of the result is lane `j` of vector `i` of `self`.
    @inline(__always)
    func transposed() -> TileOctet {
        let v = vectors
        let (a0, b0) = Self.split(v.0, v.1)
        let (a1, b1) = Self.split(v.2, v.3)
        let (a2, b2) = Self.split(v.4, v.5)
        let (a3, b3) = Self.split(v.6, v.7)
        let (c0, d0) = Self.split(a0, a1)
        let (c1, d1) = Self.split(b0, b1)
        let (c2, d2) = Self.split(a2, a3)
        let (c3, d3) = Self.split(b2, b3)
        let (e0, e4) = Self.split(c0, c2)
        let (e1, e5) = Self.split(c1, c3)
        let (e2, e6) = Self.split(d0, d2)
        let (e3, e7) = Self.split(d1, d3)
        return TileOctet(e0, e1, e2, e3, e4, e5, e6, e7)
    }

    /// Vector `index` (0 to 7).
    @inline(__always)
    subscript(index: Int) -> SIMD8<Float> {
        switch index {
        case 0: vectors.0
        case 1: vectors.1
        case 2: vectors.2
        case 3: vectors.3
        case 4: vectors.4
        case 5: vectors.5
        case 6: vectors.6
        default: vectors.7
        }
    }
}

/// Moves values between a line of tiles and per-offset columns:
/// `columns[i * columnStride + t]` is `line[tileStride * t + i]` for `i` in `0..<count`
/// (`count <= 8`) and `t` in `0..<tiles`. `toColumns` splits the line into the columns, so that
/// a transform across each tile's values runs over contiguous memory; otherwise the columns are
/// interleaved back into the line (`tileStride >= count`). Eight tiles at a time through a
/// ``TileOctet``, then four through a ``TileQuad``, then one value at a time.
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
    let raw = UnsafeMutableRawPointer(line)
    let step = tileStride * MemoryLayout<Float>.stride
    // Eight tiles at a time through a transpose in registers.
    while t + 8 <= tiles {
        let start = raw + step * t
        if toColumns {
            func tile(_ k: Int) -> SIMD8<Float> { UnsafeRawPointer(start).loadUnaligned(fromByteOffset: step * k, as: SIMD8<Float>.self) }
            let octet = TileOctet(tile(0), tile(1), tile(2), tile(3), tile(4), tile(5), tile(6), tile(7)).transposed()
            for i in 0..<count {
                UnsafeMutableRawPointer(columns + i * columnStride + t).storeBytes(of: octet[i], as: SIMD8<Float>.self)
            }
        } else {
            func column(_ i: Int) -> SIMD8<Float> {
                i < count ? UnsafeRawPointer(columns + i * columnStride + t).loadUnaligned(as: SIMD8<Float>.self) : SIMD8()
            }
            let octet = TileOctet(
                column(0), column(1), column(2), column(3), column(4), column(5), column(6), column(7)
            ).transposed()
            for k in 0..<8 { (start + step * k).storeBytes(of: octet[k], as: SIMD8<Float>.self) }
        }
        t += 8
    }
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

/// `row[i] += residual[i]` for `i < count`: the residual sum of a block fused into the
/// convolution that feeds it, on an output row that was just written (still in the first-level
/// cache), instead of a pass of its own over the whole output.
@inline(__always)
func addResidual(_ residual: UnsafePointer<Float>, to row: UnsafeMutablePointer<Float>, count: Int) {
    let width = FloatVector.scalarCount
    var i = 0
    while i + width <= count {
        row.storeVector(UnsafePointer(row).loadVector(at: i) + residual.loadVector(at: i), at: i)
        i += width
    }
    while i < count {
        row[i] += residual[i]
        i += 1
    }
}
