package dev.segmenta.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IsoTimestampsTest {

    private static long parse(String text) {
        byte[] bytes = ("xx" + text + "yy").getBytes(StandardCharsets.UTF_8);
        return IsoTimestamps.parseMicros(bytes, 2, bytes.length - 4);
    }

    private static long micros(String instant) {
        Instant i = Instant.parse(instant);
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2024-03-31|2024-03-31T00:00:00Z",
            "2024-03-31T14:05|2024-03-31T14:05:00Z",
            "2024-03-31 14:05:09|2024-03-31T14:05:09Z",
            "2024-03-31T14:05:09.5|2024-03-31T14:05:09.500Z",
            "2024-03-31T14:05:09.123456789|2024-03-31T14:05:09.123456Z",
            "2024-03-31T14:05:09Z|2024-03-31T14:05:09Z",
            "2024-03-31T14:05:09+02:00|2024-03-31T12:05:09Z",
            "2024-03-31T14:05:09-0530|2024-03-31T19:35:09Z",
            "2024-03-31T01:00+02|2024-03-30T23:00:00Z",
            "1969-12-31T23:59:59Z|1969-12-31T23:59:59Z",
            "2000-02-29|2000-02-29T00:00:00Z",
            "'  2024-01-01  '|2024-01-01T00:00:00Z"})
    void acceptedFormsMatchJavaTime(String text, String expected) {
        assertEquals(micros(expected), parse(text), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "2024-3-31", "2024-13-01", "2023-02-29", "2024-04-31", "2024-03-31T24:00",
            "2024-03-31T12:60", "2024-03-31T12:00:61", "2024-03-31T12", "2024-03-31X12:00", "2024-03-31T12:00:00.",
            "2024-03-31T12:00+2", "2024-03-31T12:00Zulu", "2024/03/31", "31.03.2024"})
    void otherTextIsInvalid(String text) {
        assertEquals(IsoTimestamps.INVALID, parse(text), text);
    }

    @Test
    void epochDayAgreesWithJavaTimeOverFourCenturies() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 10_000; i++) {
            LocalDate date = LocalDate.ofEpochDay(random.nextLong(-150_000, 150_000));
            if (date.getYear() < 0 || date.getYear() > 9999) {
                continue;
            }
            assertEquals(date.toEpochDay(), IsoTimestamps.epochDay(date.getYear(), date.getMonthValue(),
                    date.getDayOfMonth()), date::toString);
            assertEquals(date.atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1_000_000L, parse(date.toString()));
        }
    }
}
