package hecha

// Messages about the fingerprint of the county server's certificate.
var _ = Register(map[string]Msg{
	"fingerprint.char":   {"证书指纹中有不该出现的字符 %q：指纹只有 0-9 和 A-F，可以用空格或冒号分组", "the certificate fingerprint holds %q: a fingerprint is made of 0-9 and A-F, grouped or not by spaces or colons"},
	"fingerprint.length": {"证书指纹只有 %d 位，应为 %d 位十六进制数字（0-9、A-F）", "the certificate fingerprint has %d digits; it has %d hexadecimal digits (0-9, A-F)"},
	"fingerprint.long":   {"证书指纹超过 %d 位十六进制数字", "the certificate fingerprint is longer than %d hexadecimal digits"},
})
