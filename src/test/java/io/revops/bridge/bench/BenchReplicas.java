package io.revops.bridge.bench;

import java.util.List;

/** Runtime instances measured together: their CPU time added up, the largest peak RSS of one of them. */
final class BenchReplicas implements AutoCloseable {
    private final List<BenchRuntime> instances;

    BenchReplicas(List<BenchRuntime> instances) {
        this.instances = List.copyOf(instances);
    }

    int size() {
        return instances.size();
    }

    long cpuMillis() {
        return instances.stream().mapToLong(instance -> instance.meter.cpuMillis()).sum();
    }

    /** CPU time of their JIT compiler threads, added up. */
    long jitCpuMillis() {
        return instances.stream().mapToLong(instance -> instance.meter.jitCpuMillis()).sum();
    }

    /** The peak RSS of the largest instance since the previous call, in MB (each instance has its own memory limit). */
    double takePeakRssMb() {
        return instances.stream().mapToDouble(instance -> instance.meter.takePeakRssMb()).max().orElse(0);
    }

    /** The first instance's threads by kind (jcmd Thread.print, numbers in names dropped), most numerous first. */
    java.util.Map<String, Integer> threadsByKind() throws java.io.IOException, InterruptedException {
        return instances.get(0).threadsByKind();
    }

    @Override
    public void close() throws InterruptedException {
        for (BenchRuntime instance : instances) {
            instance.close();
        }
    }
}
