// Command winshim writes bcryptprimitives.dll for Wine 8, which lacks it.
//
// Go 1.22 and later read random bytes through ProcessPrng in
// bcryptprimitives.dll and stop at start-up without it ("fatal error:
// bcryptprimitives.dll not found"). Windows 10 and later ship that DLL; Wine
// added it in 9.0, after Debian bookworm's Wine 8.0. The DLL written here
// holds no code: its one export, ProcessPrng, forwards to
// advapi32.SystemFunction036 (RtlGenRandom), which takes the same two
// arguments and is what Wine's own ProcessPrng calls. The loader resolves the
// forwarder, so the Go runtime gets Wine's RtlGenRandom directly.
//
// Usage: go run .ci/winshim/main.go -arch amd64|386 -o path/bcryptprimitives.dll
//
// It lives under .ci because it serves only the Wine test step of CI.
package main

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"flag"
	"fmt"
	"os"
)

const (
	dllName   = "bcryptprimitives.dll"
	funcName  = "ProcessPrng"
	forwardTo = "advapi32.SystemFunction036"

	fileAlign    = 0x200
	sectAlign    = 0x1000
	sectRVA      = 0x1000
	headersSize  = 0x200
	numDataDirs  = 16
	exportDirLen = 40
)

func main() {
	arch := flag.String("arch", "amd64", "Windows architecture: amd64 or 386")
	out := flag.String("o", dllName, "file to write")
	flag.Parse()
	img, err := build(*arch)
	if err == nil {
		err = check(img)
	}
	if err == nil {
		err = os.WriteFile(*out, img, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "winshim:", err)
		os.Exit(1)
	}
}

// build lays out a PE image with one read-only section holding the export
// directory (one forwarded export) and an empty base-relocation block.
func build(arch string) ([]byte, error) {
	var machine, magic uint16
	var characteristics uint16 = pe.IMAGE_FILE_EXECUTABLE_IMAGE | pe.IMAGE_FILE_DLL
	var imageBase uint64
	switch arch {
	case "amd64":
		machine, magic, imageBase = pe.IMAGE_FILE_MACHINE_AMD64, 0x20b, 0x7ff7_a000_0000
		characteristics |= pe.IMAGE_FILE_LARGE_ADDRESS_AWARE
	case "386":
		machine, magic, imageBase = pe.IMAGE_FILE_MACHINE_I386, 0x10b, 0x6a00_0000
		characteristics |= pe.IMAGE_FILE_32BIT_MACHINE
	default:
		return nil, fmt.Errorf("unknown arch %q (want amd64 or 386)", arch)
	}

	// The section: export directory, its three tables, the strings, then
	// the relocation block. Offsets are relative to the section start.
	const (
		offFuncs    = exportDirLen
		offNames    = offFuncs + 4
		offOrdinals = offNames + 4
		offStrings  = offOrdinals + 4 // 2 bytes used, 2 padding
	)
	var strs bytes.Buffer
	strOff := func(s string) uint32 {
		off := uint32(offStrings + strs.Len())
		strs.WriteString(s)
		strs.WriteByte(0)
		return off
	}
	nameOff := strOff(dllName)
	funcOff := strOff(funcName)
	fwdOff := strOff(forwardTo)
	exportLen := uint32(offStrings + strs.Len())
	relocOff := (exportLen + 3) &^ 3
	const relocLen = 8

	sect := make([]byte, fileAlign)
	le := binary.LittleEndian
	le.PutUint32(sect[12:], sectRVA+nameOff)     // Name
	le.PutUint32(sect[16:], 1)                   // Base ordinal
	le.PutUint32(sect[20:], 1)                   // NumberOfFunctions
	le.PutUint32(sect[24:], 1)                   // NumberOfNames
	le.PutUint32(sect[28:], sectRVA+offFuncs)    // AddressOfFunctions
	le.PutUint32(sect[32:], sectRVA+offNames)    // AddressOfNames
	le.PutUint32(sect[36:], sectRVA+offOrdinals) // AddressOfNameOrdinals
	// An RVA inside the export directory makes the export a forwarder.
	le.PutUint32(sect[offFuncs:], sectRVA+fwdOff)
	le.PutUint32(sect[offNames:], sectRVA+funcOff)
	le.PutUint16(sect[offOrdinals:], 0)
	copy(sect[offStrings:], strs.Bytes())
	le.PutUint32(sect[relocOff:], sectRVA) // page RVA of an empty block
	le.PutUint32(sect[relocOff+4:], relocLen)
	if relocOff+relocLen > fileAlign {
		return nil, fmt.Errorf("section overflows %d bytes", fileAlign)
	}

	var dirs [numDataDirs]pe.DataDirectory
	dirs[pe.IMAGE_DIRECTORY_ENTRY_EXPORT] = pe.DataDirectory{VirtualAddress: sectRVA, Size: exportLen}
	dirs[pe.IMAGE_DIRECTORY_ENTRY_BASERELOC] = pe.DataDirectory{VirtualAddress: sectRVA + relocOff, Size: relocLen}

	var b bytes.Buffer
	// DOS header: "MZ" and, at 0x3c, the offset of the PE signature.
	dos := make([]byte, 0x40)
	copy(dos, "MZ")
	le.PutUint32(dos[0x3c:], 0x40)
	b.Write(dos)
	b.WriteString("PE\x00\x00")

	optSize := uint16(binary.Size(pe.OptionalHeader64{}))
	if magic == 0x10b {
		optSize = uint16(binary.Size(pe.OptionalHeader32{}))
	}
	binary.Write(&b, le, pe.FileHeader{
		Machine:              machine,
		NumberOfSections:     1,
		SizeOfOptionalHeader: optSize,
		Characteristics:      characteristics,
	})
	const imageSize = sectRVA + sectAlign
	const dllChars = 0x0100 // NX_COMPAT; not DYNAMIC_BASE, though the relocation block allows a move
	const subsystem = pe.IMAGE_SUBSYSTEM_WINDOWS_CUI
	if magic == 0x20b {
		binary.Write(&b, le, pe.OptionalHeader64{
			Magic: magic, MajorLinkerVersion: 1,
			SizeOfInitializedData: fileAlign,
			BaseOfCode:            sectRVA,
			ImageBase:             imageBase,
			SectionAlignment:      sectAlign, FileAlignment: fileAlign,
			MajorOperatingSystemVersion: 6, MajorSubsystemVersion: 6,
			SizeOfImage: imageSize, SizeOfHeaders: headersSize,
			Subsystem: subsystem, DllCharacteristics: dllChars,
			SizeOfStackReserve: 0x100000, SizeOfStackCommit: 0x1000,
			SizeOfHeapReserve: 0x100000, SizeOfHeapCommit: 0x1000,
			NumberOfRvaAndSizes: numDataDirs, DataDirectory: dirs,
		})
	} else {
		binary.Write(&b, le, pe.OptionalHeader32{
			Magic: magic, MajorLinkerVersion: 1,
			SizeOfInitializedData: fileAlign,
			BaseOfCode:            sectRVA, BaseOfData: sectRVA,
			ImageBase:        uint32(imageBase),
			SectionAlignment: sectAlign, FileAlignment: fileAlign,
			MajorOperatingSystemVersion: 6, MajorSubsystemVersion: 6,
			SizeOfImage: imageSize, SizeOfHeaders: headersSize,
			Subsystem: subsystem, DllCharacteristics: dllChars,
			SizeOfStackReserve: 0x100000, SizeOfStackCommit: 0x1000,
			SizeOfHeapReserve: 0x100000, SizeOfHeapCommit: 0x1000,
			NumberOfRvaAndSizes: numDataDirs, DataDirectory: dirs,
		})
	}
	binary.Write(&b, le, pe.SectionHeader32{
		Name:             [8]uint8{'.', 'r', 'd', 'a', 't', 'a'},
		VirtualSize:      relocOff + relocLen,
		VirtualAddress:   sectRVA,
		SizeOfRawData:    fileAlign,
		PointerToRawData: headersSize,
		Characteristics:  pe.IMAGE_SCN_CNT_INITIALIZED_DATA | pe.IMAGE_SCN_MEM_READ,
	})
	if b.Len() > headersSize {
		return nil, fmt.Errorf("headers take %d bytes, more than %d", b.Len(), headersSize)
	}
	b.Write(make([]byte, headersSize-b.Len()))
	b.Write(sect)
	return b.Bytes(), nil
}

// check reads the image back with debug/pe and confirms that it names
// ProcessPrng as a forwarder to RtlGenRandom.
func check(img []byte) error {
	f, err := pe.NewFile(bytes.NewReader(img))
	if err != nil {
		return fmt.Errorf("read back: %w", err)
	}
	defer f.Close()
	if len(f.Sections) != 1 {
		return fmt.Errorf("read back %d sections, want 1", len(f.Sections))
	}
	data, err := f.Sections[0].Data()
	if err != nil {
		return fmt.Errorf("read back section: %w", err)
	}
	le := binary.LittleEndian
	str := func(rva uint32) string {
		s := data[rva-sectRVA:]
		return string(s[:bytes.IndexByte(s, 0)])
	}
	if got := str(le.Uint32(data[12:])); got != dllName {
		return fmt.Errorf("read back name %q", got)
	}
	if got := str(le.Uint32(data[le.Uint32(data[32:])-sectRVA:])); got != funcName {
		return fmt.Errorf("read back export %q", got)
	}
	if got := str(le.Uint32(data[le.Uint32(data[28:])-sectRVA:])); got != forwardTo {
		return fmt.Errorf("read back forwarder %q", got)
	}
	return nil
}
