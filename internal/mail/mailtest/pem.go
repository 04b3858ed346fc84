package mailtest

import "encoding/pem"

// CertPEM is the server's self-signed certificate in PEM, as an operator
// would copy it from a mail server into report.mail.ca_file.
func (s *Server) CertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.certDER})
}
