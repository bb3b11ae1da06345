package io.steep.repl.snapshot.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BinaryCopyRowsTest {

    /** A binary COPY file as PostgreSQL writes it, with the given rows of (int4, text-or-null). */
    private static byte[] file(String... texts) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0});
        out.writeInt(0);
        out.writeInt(0);
        for (int i = 0; i < texts.length; i++) {
            out.writeShort(2);
            out.writeInt(4);
            out.writeInt(i);
            if (texts[i] == null) {
                out.writeInt(-1);
            } else {
                out.writeInt(texts[i].length());
                out.writeBytes(texts[i]);
            }
        }
        out.writeShort(-1);
        return bytes.toByteArray();
    }

    private static long count(byte[] file) throws IOException {
        return BinaryCopyRows.count(new ByteArrayInputStream(file));
    }

    @Test
    void countsRowsWhateverTheirValuesHold() throws Exception {
        assertThat(count(file())).isZero();
        assertThat(count(file("a\nb", null, "", "\377\377\377\377"))).isEqualTo(4);
    }

    @Test
    void aFileCutShortOrWithAnythingAfterTheTrailerIsCorrupt() throws Exception {
        byte[] good = file("one", "two");
        for (int cut = 0; cut < good.length; cut++) {
            byte[] shorter = Arrays.copyOf(good, cut);
            assertThatThrownBy(() -> count(shorter)).as("cut at %d", cut).isInstanceOf(IOException.class);
        }
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> count(longer)).hasMessageContaining("data after the binary COPY trailer");
    }

    @Test
    void textOrAMangledFrameIsNotABinaryCopyFile() throws Exception {
        assertThatThrownBy(() -> count("1\tone\n2\ttwo\n".getBytes())).hasMessageContaining("no PGCOPY signature");
        byte[] negativeFields = file("x");
        negativeFields[19] = (byte) 0xFF; // the first row's field count, 2, becomes -254
        assertThatThrownBy(() -> count(negativeFields)).hasMessageContaining("row 1 has -254 fields");
        byte[] negativeLength = file("x");
        negativeLength[21] = (byte) 0xFF; // the first field's length, 4, becomes -16777212
        assertThatThrownBy(() -> count(negativeLength)).hasMessageContaining("has a field of");
    }
}
