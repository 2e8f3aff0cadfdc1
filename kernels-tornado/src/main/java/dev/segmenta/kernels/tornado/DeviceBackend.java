package dev.segmenta.kernels.tornado;

import dev.segmenta.kernels.KernelSelection;

import java.util.List;

/**
 * The part of the backend that links against TornadoVM, reached through this interface only after
 * {@link TornadoKernelProvider} has checked that TornadoVM is there (it is loaded by name, so a JVM
 * without TornadoVM never resolves a TornadoVM class).
 */
interface DeviceBackend {

    /** Starts TornadoVM and the kernels on {@code device} (as {@code segmenta backends} lists it), or on TornadoVM's default device when {@code null}. */
    KernelSelection start(String device);

    /** Every device TornadoVM sees, one line each, its id first. */
    List<String> devices();
}
