package dev.segmenta.spark;

import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * {@code treeReduce} in a fixed order. Spark's own {@code treeReduce} and {@code reduce} merge values
 * in whatever order tasks finish and shuffle blocks arrive; with floating-point sums that makes the
 * result depend on task timing. Here partition {@code i}'s value is always merged with its
 * neighbours' in index order: a level groups partitions {@code [g·s, (g+1)·s)} (shuffled by group,
 * sorted back into index order before merging), and the driver merges the last level's values in
 * group order. Levels are added as Spark's {@code treeAggregate} does at depth 2, so with few
 * partitions the values go straight to the driver.
 */
final class OrderedTreeReduce {

    private OrderedTreeReduce() {
    }

    /**
     * @param values one value per partition (as produced by a {@code mapPartitions} that returns a singleton)
     * @param merge  merges the value of a run of partitions with that of the run right after it; may
     *               update and return its first argument
     */
    static <T extends Serializable> T reduce(JavaRDD<T> values, Function2<T, T, T> merge) {
        int partitions = values.getNumPartitions();
        int scale = Math.max((int) Math.ceil(Math.sqrt(partitions)), 2);
        JavaPairRDD<Integer, T> level = values.mapPartitionsWithIndex(
                (Integer index, Iterator<T> it) -> single(index, it), true).mapToPair(t -> t);
        int current = partitions;
        while (current > scale + (current + scale - 1) / scale) {
            int groups = (current + scale - 1) / scale;
            level = level.mapToPair(entry -> new Tuple2<>(entry._1() / scale, entry))
                    .groupByKey(new HashPartitioner(groups))
                    .mapValues(members -> mergeInOrder(members, merge));
            current = groups;
        }
        List<Tuple2<Integer, T>> last = new ArrayList<>(level.collect());
        try {
            return mergeInOrder(last, merge);
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    private static <T> Iterator<Tuple2<Integer, T>> single(int index, Iterator<T> it) {
        if (!it.hasNext()) {
            throw new IllegalStateException("partition " + index + " produced no value");
        }
        T value = it.next();
        if (it.hasNext()) {
            throw new IllegalStateException("partition " + index + " produced more than one value");
        }
        return List.of(new Tuple2<>(index, value)).iterator();
    }

    private static <T> T mergeInOrder(Iterable<Tuple2<Integer, T>> members, Function2<T, T, T> merge)
            throws Exception {
        List<Tuple2<Integer, T>> sorted = new ArrayList<>();
        members.forEach(sorted::add);
        sorted.sort(Comparator.comparingInt(Tuple2::_1));
        T total = sorted.getFirst()._2();
        for (int i = 1; i < sorted.size(); i++) {
            total = merge.call(total, sorted.get(i)._2());
        }
        return total;
    }
}
