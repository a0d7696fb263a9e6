/// Bounds on the numbers a job folder states, checked before anything is allocated or looped
/// over: a job folder is input like any other file (Docs/RELIABILITY.md, "Job folders").
enum JobLimits {
    /// Most output frames of a job, and the highest output frame number plus one: 10,000,000
    /// frames are 111 hours at 25 fps.
    static let maximumFrameCount = 10_000_000
    /// Largest renderer side (the released models work at 256).
    static let maximumImageSize = 4_096
    /// Longest `manifest.json`, in bytes (a frame folder input lists about 150 bytes per frame).
    static let maximumManifestBytes = 1 << 30
    /// Longest `plan/plan.json`, in bytes (about 1.5 KB per output frame).
    static let maximumPlanBytes = 1 << 34
    /// Longest `.npy` array or PNG image of a job, in bytes.
    static let maximumArrayBytes = 1 << 34
}
