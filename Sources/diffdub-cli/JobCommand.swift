import ArgumentParser
import Foundation

/// `diffdub job`: a dub split into prepare (once), run (shards, anywhere), finish (once).
struct JobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job",
        abstract: "Dub a long clip on many processes or machines: prepare once, render shards, finish.",
        discussion: """
            A job folder holds everything the frames need, computed once by `prepare` (decoding, face \
            detection, Hubert, reference and lip latents, noise). `run --shard K/N` renders its share \
            of the frames into JOB/frames/ and can be run anywhere that sees the folder and the \
            stage-1/2 checkpoints; a killed shard run again continues where it stopped. `status` tells \
            what is missing; `finish` pastes the frames back and encodes, byte-identical to `diffdub dub`.

            Example (one machine, 2 shards):
              diffdub job prepare job1 --stage1 s1.ckpt --stage2 s2.ckpt --video clip.mp4 --hubert speech.npy --audio speech.wav
              parallel diffdub job run job1 --shard {}/2 --threads 1 ::: 0 1
              diffdub job status job1 && diffdub job finish job1 --output dubbed.mp4

            Slurm:  sbatch --array=0-15 --wrap 'diffdub job run job1 --shard $SLURM_ARRAY_TASK_ID/16'
            See Docs/SCALE-OUT.md (GNU parallel over ssh, Slurm arrays, Kubernetes Indexed Jobs).
            """,
        subcommands: [JobPrepareCommand.self, JobRunCommand.self, JobStatusCommand.self, JobFinishCommand.self])
}
