package mayblock

import (
	"go/types"
)

// Categories of blocking, used as Block.What.
const (
	whatSend    = "sends on a channel"
	whatRecv    = "receives from a channel"
	whatSelect  = "waits in a select"
	whatSleep   = "sleeps"
	whatWG      = "waits for a sync.WaitGroup"
	whatCond    = "waits on a sync.Cond"
	whatDial    = "dials the network"
	whatNet     = "does network I/O"
	whatDNS     = "resolves a name over the network"
	whatHTTP    = "makes an HTTP request"
	whatFile    = "does file I/O"
	whatSync    = "syncs a file to disk"
	whatExec    = "waits for an external command"
	whatSQL     = "queries the database"
	whatPipe    = "does pipe I/O"
	whatProcess = "waits for a process"
)

// stdBlocking maps the full name of a standard-library function or method
// (types.Func.FullName) to what it blocks on.
var stdBlocking = map[string]string{
	"time.Sleep": whatSleep,

	"(*sync.WaitGroup).Wait": whatWG,
	"(*sync.Cond).Wait":      whatCond,

	"net.Dial":                         whatDial,
	"net.DialTimeout":                  whatDial,
	"net.DialTCP":                      whatDial,
	"net.DialUDP":                      whatDial,
	"net.DialUnix":                     whatDial,
	"net.DialIP":                       whatDial,
	"(*net.Dialer).Dial":               whatDial,
	"(*net.Dialer).DialContext":        whatDial,
	"crypto/tls.Dial":                  whatDial,
	"crypto/tls.DialWithDialer":        whatDial,
	"(*crypto/tls.Dialer).Dial":        whatDial,
	"(*crypto/tls.Dialer).DialContext": whatDial,
	"net/rpc.Dial":                     whatDial,
	"net/rpc.DialHTTP":                 whatDial,

	"net.LookupHost":               whatDNS,
	"net.LookupIP":                 whatDNS,
	"net.LookupAddr":               whatDNS,
	"net.LookupCNAME":              whatDNS,
	"net.LookupSRV":                whatDNS,
	"net.LookupTXT":                whatDNS,
	"net.LookupMX":                 whatDNS,
	"net.LookupNS":                 whatDNS,
	"(*net.Resolver).LookupHost":   whatDNS,
	"(*net.Resolver).LookupIP":     whatDNS,
	"(*net.Resolver).LookupIPAddr": whatDNS,
	"(*net.Resolver).LookupNetIP":  whatDNS,
	"(*net.Resolver).LookupAddr":   whatDNS,
	"(*net.Resolver).LookupCNAME":  whatDNS,
	"(*net.Resolver).LookupSRV":    whatDNS,
	"(*net.Resolver).LookupTXT":    whatDNS,
	"(*net.Resolver).LookupMX":     whatDNS,
	"(*net.Resolver).LookupNS":     whatDNS,
	// LookupPort is not here: it parses a numeric port and takes a service
	// name from the local services database (/etc/services, or
	// getaddrinfo without a host, which reads only NSS services); it
	// never waits on the network.

	// Methods of the concrete connections (promoted from net.conn).
	"(*net.conn).Read":                    whatNet,
	"(*net.conn).Write":                   whatNet,
	"(*net.TCPConn).ReadFrom":             whatNet,
	"(*net.TCPConn).WriteTo":              whatNet,
	"(*net.UDPConn).ReadFrom":             whatNet,
	"(*net.UDPConn).ReadFromUDP":          whatNet,
	"(*net.UDPConn).ReadMsgUDP":           whatNet,
	"(*net.UDPConn).WriteTo":              whatNet,
	"(*net.UDPConn).WriteToUDP":           whatNet,
	"(*net.UDPConn).WriteMsgUDP":          whatNet,
	"(*net.UnixConn).ReadFrom":            whatNet,
	"(*net.UnixConn).WriteTo":             whatNet,
	"(*net.TCPListener).Accept":           whatNet,
	"(*net.TCPListener).AcceptTCP":        whatNet,
	"(*net.UnixListener).Accept":          whatNet,
	"(*net.UnixListener).AcceptUnix":      whatNet,
	"(*crypto/tls.Conn).Read":             whatNet,
	"(*crypto/tls.Conn).Write":            whatNet,
	"(*crypto/tls.Conn).Handshake":        whatNet,
	"(*crypto/tls.Conn).HandshakeContext": whatNet,
	"(*net/rpc.Client).Call":              whatNet,
	"(*net/textproto.Conn).ReadResponse":  whatNet,

	"(*net/http.Client).Do":             whatHTTP,
	"(*net/http.Client).Get":            whatHTTP,
	"(*net/http.Client).Head":           whatHTTP,
	"(*net/http.Client).Post":           whatHTTP,
	"(*net/http.Client).PostForm":       whatHTTP,
	"net/http.Get":                      whatHTTP,
	"net/http.Head":                     whatHTTP,
	"net/http.Post":                     whatHTTP,
	"net/http.PostForm":                 whatHTTP,
	"(*net/http.Transport).RoundTrip":   whatHTTP,
	"(*net/http.Server).Shutdown":       whatNet,
	"(*net/http.Server).ListenAndServe": whatNet,
	"(*net/http.Server).Serve":          whatNet,
	"net/http.ListenAndServe":           whatNet,

	"os.ReadFile":             whatFile,
	"os.WriteFile":            whatFile,
	"os.ReadDir":              whatFile,
	"(*os.File).Read":         whatFile,
	"(*os.File).ReadAt":       whatFile,
	"(*os.File).ReadFrom":     whatFile,
	"(*os.File).ReadDir":      whatFile,
	"(*os.File).Readdir":      whatFile,
	"(*os.File).Readdirnames": whatFile,
	"(*os.File).Write":        whatFile,
	"(*os.File).WriteAt":      whatFile,
	"(*os.File).WriteString":  whatFile,
	"(*os.File).WriteTo":      whatFile,
	"(*os.File).Sync":         whatSync,
	"syscall.Fsync":           whatSync,
	"syscall.Fdatasync":       whatSync,
	"syscall.Sync":            whatSync,
	"io/ioutil.ReadFile":      whatFile,
	"io/ioutil.WriteFile":     whatFile,
	"io/ioutil.ReadDir":       whatFile,

	"(*os/exec.Cmd).Run":            whatExec,
	"(*os/exec.Cmd).Wait":           whatExec,
	"(*os/exec.Cmd).Output":         whatExec,
	"(*os/exec.Cmd).CombinedOutput": whatExec,
	"(*os.Process).Wait":            whatProcess,

	"(*database/sql.DB).Query":             whatSQL,
	"(*database/sql.DB).QueryContext":      whatSQL,
	"(*database/sql.DB).QueryRow":          whatSQL,
	"(*database/sql.DB).QueryRowContext":   whatSQL,
	"(*database/sql.DB).Exec":              whatSQL,
	"(*database/sql.DB).ExecContext":       whatSQL,
	"(*database/sql.DB).Begin":             whatSQL,
	"(*database/sql.DB).BeginTx":           whatSQL,
	"(*database/sql.DB).Ping":              whatSQL,
	"(*database/sql.DB).PingContext":       whatSQL,
	"(*database/sql.DB).Prepare":           whatSQL,
	"(*database/sql.DB).PrepareContext":    whatSQL,
	"(*database/sql.DB).Conn":              whatSQL,
	"(*database/sql.Tx).Commit":            whatSQL,
	"(*database/sql.Tx).Rollback":          whatSQL,
	"(*database/sql.Tx).Query":             whatSQL,
	"(*database/sql.Tx).QueryContext":      whatSQL,
	"(*database/sql.Tx).QueryRow":          whatSQL,
	"(*database/sql.Tx).QueryRowContext":   whatSQL,
	"(*database/sql.Tx).Exec":              whatSQL,
	"(*database/sql.Tx).ExecContext":       whatSQL,
	"(*database/sql.Stmt).Query":           whatSQL,
	"(*database/sql.Stmt).QueryContext":    whatSQL,
	"(*database/sql.Stmt).QueryRow":        whatSQL,
	"(*database/sql.Stmt).QueryRowContext": whatSQL,
	"(*database/sql.Stmt).Exec":            whatSQL,
	"(*database/sql.Stmt).ExecContext":     whatSQL,
	"(*database/sql.Conn).QueryContext":    whatSQL,
	"(*database/sql.Conn).QueryRowContext": whatSQL,
	"(*database/sql.Conn).ExecContext":     whatSQL,
	"(*database/sql.Conn).BeginTx":         whatSQL,

	"(*io.PipeReader).Read":  whatPipe,
	"(*io.PipeWriter).Write": whatPipe,
}

// blockingIfaces maps an interface type of the standard library to those
// of its methods that block: calls through these interfaces count.
var blockingIfaces = map[string]map[string]string{
	"net.Conn":              {"Read": whatNet, "Write": whatNet},
	"net.PacketConn":        {"ReadFrom": whatNet, "WriteTo": whatNet},
	"net.Listener":          {"Accept": whatNet},
	"net/http.RoundTripper": {"RoundTrip": whatHTTP},
}

// ioHelpers are the io functions that block when one of their reader or
// writer arguments is known to be a network connection or a file. The
// value is the indices of those arguments.
var ioHelpers = map[string][]int{
	"io.Copy":           {0, 1},
	"io.CopyN":          {0, 1},
	"io.CopyBuffer":     {0, 1},
	"io.ReadAll":        {0},
	"io.ReadFull":       {0},
	"io.ReadAtLeast":    {0},
	"io.WriteString":    {0},
	"io/ioutil.ReadAll": {0},
}

// wrappers are the standard-library constructors of encoders, decoders
// and buffers over an io.Reader or io.Writer (their first argument): the
// methods listed for the wrapper's type do I/O on it, and block when it is
// a file or connection.
var wrappers = map[string]bool{
	"encoding/json.NewEncoder": true,
	"encoding/json.NewDecoder": true,
	"encoding/gob.NewEncoder":  true,
	"encoding/gob.NewDecoder":  true,
	"encoding/csv.NewReader":   true,
	"encoding/csv.NewWriter":   true,
	"bufio.NewReader":          true,
	"bufio.NewReaderSize":      true,
	"bufio.NewWriter":          true,
	"bufio.NewWriterSize":      true,
	"bufio.NewScanner":         true,
}

var wrapperIO = map[string]bool{
	"(*encoding/json.Encoder).Encode": true,
	"(*encoding/json.Decoder).Decode": true,
	"(*encoding/json.Decoder).Token":  true,
	"(*encoding/gob.Encoder).Encode":  true,
	"(*encoding/gob.Decoder).Decode":  true,
	"(*encoding/csv.Reader).Read":     true,
	"(*encoding/csv.Reader).ReadAll":  true,
	"(*encoding/csv.Writer).Flush":    true,
	"(*bufio.Reader).Read":            true,
	"(*bufio.Reader).ReadByte":        true,
	"(*bufio.Reader).ReadBytes":       true,
	"(*bufio.Reader).ReadLine":        true,
	"(*bufio.Reader).ReadRune":        true,
	"(*bufio.Reader).ReadSlice":       true,
	"(*bufio.Reader).ReadString":      true,
	"(*bufio.Reader).Peek":            true,
	"(*bufio.Writer).Flush":           true,
	"(*bufio.Scanner).Scan":           true,
}

// blockingIOType reports what I/O through a value of type t (the dynamic
// type of an io.Reader or io.Writer argument) blocks on, or "".
func blockingIOType(t types.Type) string {
	s := types.TypeString(t, nil)
	switch s {
	case "*os.File":
		return whatFile
	case "net.Conn", "*net.TCPConn", "*net.UDPConn", "*net.UnixConn", "*net.IPConn", "*crypto/tls.Conn":
		return whatNet
	case "*io.PipeReader", "*io.PipeWriter":
		return whatPipe
	}
	return ""
}

// stdCallsArg maps a standard-library function that calls one of its
// function arguments synchronously to the index of that argument (in SSA
// argument order: the receiver of a method is 0).
var stdCallsArg = map[string][]int{
	"path/filepath.Walk":    {1},
	"path/filepath.WalkDir": {1},
	"io/fs.WalkDir":         {2},
	"(*sync.Once).Do":       {1},
	"(*sync.Map).Range":     {1},
	"sort.Slice":            {1},
	"sort.SliceStable":      {1},
	"sort.Search":           {1},
	"slices.SortFunc":       {1},
	"slices.SortStableFunc": {1},
	"slices.IndexFunc":      {1},
	"slices.ContainsFunc":   {1},
	"slices.DeleteFunc":     {1},
	"strings.Map":           {0},
	"strings.FieldsFunc":    {1},
	"strings.IndexFunc":     {1},
	"bytes.Map":             {0},
}
