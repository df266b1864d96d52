package dev.tern.smtp.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.smtp.testing.GoldenFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code data/<case>.in} through {@link DataReader}: the result must match
 * {@code <case>.ref} byte for byte, and must not depend on how the input is split into chunks
 * (every two-way split, one byte at a time, and random splits with fixed seeds).
 */
class DataReaderGoldenTest {

    private static final String AREA = "data";

    @TestFactory
    Stream<DynamicTest> producesTheReferenceResult() {
        return GoldenFiles.cases(AREA).stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            byte[] input = GoldenFiles.input(AREA, name);
            GoldenFiles.assertMatchesRef(AREA, name, DataRun.run(DataRun.optionsFor(name), input, List.of()));
        }));
    }

    @TestFactory
    Stream<DynamicTest> givesTheSameResultWhenSplitAtAnyByte() {
        return GoldenFiles.cases(AREA).stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            byte[] input = GoldenFiles.input(AREA, name);
            DataOptions options = DataRun.optionsFor(name);
            String whole = DataRun.run(options, input, List.of());
            for (int cut = 0; cut <= input.length; cut++) {
                assertThat(DataRun.run(options, input, List.of(cut))).as("split at %d", cut).isEqualTo(whole);
            }
            List<Integer> everyByte = IntStream.rangeClosed(0, input.length).boxed().toList();
            assertThat(DataRun.run(options, input, everyByte)).as("one byte at a time").isEqualTo(whole);
        }));
    }

    @TestFactory
    Stream<DynamicTest> givesTheSameResultForRandomSplits() {
        return GoldenFiles.cases(AREA).stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            byte[] input = GoldenFiles.input(AREA, name);
            DataOptions options = DataRun.optionsFor(name);
            String whole = DataRun.run(options, input, List.of());
            for (long seed = 1; seed <= 200; seed++) {
                List<Integer> cuts = randomCuts(new Random(seed), input.length);
                assertThat(DataRun.run(options, input, cuts)).as("seed %d cuts %s", seed, cuts).isEqualTo(whole);
            }
        }));
    }

    static List<Integer> randomCuts(Random random, int length) {
        var cuts = new TreeSet<Integer>();
        int count = random.nextInt(Math.max(1, length / 2) + 1);
        for (int i = 0; i < count; i++) {
            cuts.add(random.nextInt(length + 1));
        }
        return new ArrayList<>(cuts);
    }
}
