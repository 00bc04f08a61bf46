using FashionMnist.Baselines.Bench;
using FashionMnist.Baselines.Runtime;
using static TorchSharp.torch;

// Speed and memory measurements for docs/benchmarks.md (not tests). Usage:
//   Bench speed <model> [--batch N] [--optimizer sgd|adam|adadelta] [--images N] [--threads N] [--default-allocator]
//               [--channels-last] [--precision fp32|bf16] [--batch-times FILE]   (FILE: the CLOCK_MONOTONIC second at which each training
//               batch ended, one per line, for bench/lockstep.py)
//   Bench overhead [--epochs N] [--images N]      Trainer.Fit against a bare loop, side by side
//   Bench rss [--epochs N] [--images N] [--collect] resident memory after every epoch of the CNN
//   Bench ops                                     BatchNorm + add + ReLU forward and backward on a ResNet-20 activation, and an SGD step,
//                                                 NCHW and channels-last (bench/ops_reference.py: the same in PyTorch)
//   Bench no-gc-memory [--regions N]              resident memory of a loop of no-GC regions, with and without
//                                                 NoCollectionRegion.Each's periodic full collection
//   Bench conv [--in C] [--out C] [--size HW] [--kernel K] [--stride S] [--groups G] [--batch N]
//               [--standard-input] [--standard-weight]
//                                                 one convolution forward and backward, input and weight channels-last
//                                                 unless said otherwise
//                                                 (to find the shapes LibTorch's oneDNN cannot run: a crash ends the process)
//   Bench bf16-conv                               bfloat16 convolutions against float64, 108 shapes, standard layout and channels-last
//                                                 (bench/bf16-conv-check.sh; bench/bf16_conv_check.py does the same in PyTorch)
//   Bench augmentation                            crop + flip + erase against one CNN training step, batch 128
//   Bench steps [model ...]                       one SGD training step of batch 128 per model (issue "Models")
//   Bench memory-format [model ...] [--rounds N]  the same SGD step with NCHW and with channels-last tensors, alternating
//   Bench matmul [--size N] [--rounds N] [--repeats N]  float32 and bfloat16 matrix products by call path (mm, matmul, addmm, linear)
//   Bench precision [model ...] [--rounds N]      one SGD step of batch 128 channels-last: float32, and bfloat16 compute on float32 masters
//                                                 with BatchNorm in float32 or cast too (the bfloat16 issue)
//   Bench onnx-speed [model ...] [--rounds N]     inference images/s of ONNX Runtime (2 threads) against TorchSharp's eval mode,
//                                                 batch 1 and 256 (the ONNX export issue)
//   Bench finalizer-race [--seconds N] [--guard] [--allocate] [--quiet]
//                                                 TorchSharp's implicit Scalar against a GC on another thread
string command = args.Length > 0 ? args[0] : "speed";
var options = BenchArguments.Parse(args.Skip(1).ToArray());
if (!options.Has("default-allocator")) NativeAllocator.KeepFreedMemory();
if (options.Int("threads") is int threads) set_num_threads(threads);

// Each command loads the Fashion-MNIST training set itself if it needs it (BenchData): conv, bf16-conv, no-gc-memory and
// finalizer-race do not, so they run without the data set.
switch (command)
{
    case "speed": SpeedCommand.Run(options); break;
    case "overhead": OverheadCommand.Run(options); break;
    case "rss": RssCommand.Run(options); break;
    case "augmentation": AugmentationCommand.Run(); break;
    case "steps": StepsCommand.Run(options); break;
    case "memory-format": MemoryFormatCommand.Run(options); break;
    case "finalizer-race": FinalizerRaceCommand.Run(options); break;
    case "no-gc-memory": NoGcMemoryCommand.Run(options); break;
    case "ops": OpsCommand.Run(); break;
    case "conv": ConvCommand.Run(options); break;
    case "bf16-conv": Bf16ConvCheckCommand.Run(); break;
    case "matmul": MatmulCommand.Run(options); break;
    case "onnx-speed": OnnxSpeedCommand.Run(options); break;
    case "precision": PrecisionCommand.Run(options); break;
    default: throw new ArgumentException($"Unknown command {command}.");
}
