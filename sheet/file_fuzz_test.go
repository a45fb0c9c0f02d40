package sheet

import (
	"bytes"
	"io"
	"testing"

	"hecha"
)

// FuzzReader checks that no input makes the reader panic, that it stops,
// and that every error it returns is a domain error.
func FuzzReader(f *testing.F) {
	f.Add([]byte("姓名,性别\n张伟,男\n"))
	f.Add([]byte("\xEF\xBB\xBFa,b\r\n\"x\ny\",2\r\n"))
	f.Add([]byte("\xd0\xd5\xc3\xfb,1\n\xd5\xc5,2\n"))
	f.Add([]byte("\xFF\xFEa\x00\t\x00b\x00"))
	f.Add([]byte("PK\x03\x04\x14\x00\x00\x00"))
	f.Add([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"))
	f.Add([]byte("a,\"b\n1,\"2\"\"3"))
	f.Add([]byte("姓名,性别\r张伟,男\r\"x\ry\",\r"))
	f.Add([]byte(utf16LE("姓名,性别\r\n张伟,男\r\n")))
	f.Add([]byte("姓名,性别\n王\x00芳,女\n"))
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, XLSX, UTF8BOM)
	w.Write([]string{"a", "b"})
	w.Write([]string{"1", "二"})
	w.Close()
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data), "fuzz")
		if err != nil {
			if hecha.ErrorCode(err) != hecha.EINVALID {
				t.Fatalf("NewReader error %v is not EINVALID", err)
			}
			return
		}
		defer r.Close()
		prev := 0
		for i := 0; ; i++ {
			line, _, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				if hecha.ErrorCode(err) != hecha.EINVALID {
					t.Fatalf("Next error %v is not EINVALID", err)
				}
				break
			}
			if line <= prev {
				t.Fatalf("line %d after line %d", line, prev)
			}
			prev = line
			if i > len(data)+1 {
				t.Fatal("more rows than bytes")
			}
		}
	})
}
