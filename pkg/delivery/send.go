package delivery

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/smtp"
	"os"
	"strconv"
	"strings"
	"time"
)

// SMTP is the mail server reports are sent through, read from the environment:
// PLATFORMLENS_SMTP_HOST, _PORT (default 587), _USER, _PASSWORD, _FROM. STARTTLS is used when
// the server offers it (and required when a user is set, except on localhost).
type SMTP struct {
	Host     string
	Port     int
	User     string
	Password string
	From     string
	Timeout  time.Duration
}

// SMTPFromEnv reads the SMTP settings; Host empty means e-mail delivery is not configured.
func SMTPFromEnv() (SMTP, error) {
	c := SMTP{Host: os.Getenv("PLATFORMLENS_SMTP_HOST"), Port: 587, User: os.Getenv("PLATFORMLENS_SMTP_USER"),
		Password: os.Getenv("PLATFORMLENS_SMTP_PASSWORD"), From: os.Getenv("PLATFORMLENS_SMTP_FROM")}
	if p := os.Getenv("PLATFORMLENS_SMTP_PORT"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return SMTP{}, fmt.Errorf("PLATFORMLENS_SMTP_PORT %q is not a port number", p)
		}
		c.Port = n
	}
	if c.Host != "" && c.From == "" {
		return SMTP{}, errors.New("PLATFORMLENS_SMTP_FROM is not set: the sender address of report e-mails")
	}
	return c, nil
}

// Send mails one message with the report attached.
func (c SMTP) Send(ctx context.Context, to, subject, body, attachName, contentType string, attachment []byte) error {
	if c.Host == "" {
		return errors.New("e-mail is not configured: set PLATFORMLENS_SMTP_HOST and PLATFORMLENS_SMTP_FROM for `platformlens serve`")
	}
	timeout := c.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	addr := net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("connect to SMTP server %s: %w", addr, err)
	}
	_ = conn.SetDeadline(time.Now().Add(timeout))
	cl, err := smtp.NewClient(conn, c.Host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("SMTP greeting from %s: %w", addr, err)
	}
	defer cl.Close()
	if ok, _ := cl.Extension("STARTTLS"); ok {
		if err := cl.StartTLS(&tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12}); err != nil {
			return fmt.Errorf("SMTP STARTTLS with %s: %w", addr, err)
		}
	}
	if c.User != "" {
		if err := cl.Auth(smtp.PlainAuth("", c.User, c.Password, c.Host)); err != nil {
			return fmt.Errorf("SMTP login as %s at %s: %w", c.User, addr, err)
		}
	}
	if err := cl.Mail(c.From); err != nil {
		return fmt.Errorf("SMTP sender %s refused: %w", c.From, err)
	}
	if err := cl.Rcpt(to); err != nil {
		return fmt.Errorf("SMTP recipient %s refused: %w", to, err)
	}
	w, err := cl.Data()
	if err != nil {
		return fmt.Errorf("SMTP DATA: %w", err)
	}
	if _, err := w.Write(message(c.From, to, subject, body, attachName, contentType, attachment)); err != nil {
		return fmt.Errorf("SMTP write: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("SMTP server did not accept the message: %w", err)
	}
	return cl.Quit()
}

// message is a multipart/mixed MIME message: a text part and the base64 attachment.
func message(from, to, subject, body, attachName, contentType string, attachment []byte) []byte {
	var rb [12]byte
	_, _ = rand.Read(rb[:])
	boundary := "pl-" + hex.EncodeToString(rb[:])
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nMIME-Version: 1.0\r\n", from, to, mime.QEncoding.Encode("utf-8", subject))
	fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=%s\r\n\r\n", boundary)
	fmt.Fprintf(&b, "--%s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n", boundary)
	wrap(&b, base64.StdEncoding.EncodeToString([]byte(body)))
	fmt.Fprintf(&b, "--%s\r\nContent-Type: %s\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=%q\r\n\r\n",
		boundary, contentType, attachName)
	wrap(&b, base64.StdEncoding.EncodeToString(attachment))
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return b.Bytes()
}

func wrap(b *bytes.Buffer, s string) {
	for len(s) > 76 {
		b.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	b.WriteString(s + "\r\n")
}

// postWebhook posts payload as JSON; any status outside 2xx is an error. The payload has a
// "text" field, so Slack incoming webhooks show it as a message.
func postWebhook(ctx context.Context, client *http.Client, url string, payload any) error {
	body, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook %s: %w", redactURL(url), err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("webhook %s: %w", redactURL(url), err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("webhook %s answered %s: %s", redactURL(url), resp.Status, strings.TrimSpace(string(msg)))
	}
	return nil
}

// redactURL keeps scheme and host: webhook paths (Slack's) are secrets.
func redactURL(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		rest := u[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			return u[:i+3+j] + "/…"
		}
	}
	return u
}
