// Command bigday-load posts a big day's webhooks to a running syncd, as an
// integrator's senders would: of every ten, four Lokalebasen enquiries,
// five Estate Agent Feeds email leads from six portals and one failed
// portal submission (300 listings failing), each lead with an email and a
// phone of its own, and -broker in every thousand from one email (a broker
// enquiring for his clients, with their phones). docs/performance.md
// measures syncd with it:
//
//	go run ./scripts/bigday-load -url http://127.0.0.1:18461 -n 50000
//
// The daemon's sources must be a lokalebasen and an eaf source taking the
// tokens -lb-token and -eaf-token.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

var portals = []string{"rightmove", "zoopla", "onthemarket", "primelocation", "boomin", "jitty"}

// body is webhook i: its source and its body.
func body(i, broker int, brokerEmail string) (string, []byte) {
	email := fmt.Sprintf("c%08x@example.com", uint32(i)*2654435761)
	if i%1000 < broker {
		email = brokerEmail
	}
	switch {
	case i%10 == 0:
		return "eaf", fmt.Appendf(nil, `{"eaf_type":"portal_submission","eaf_status":"error","eaf_action":"create","eaf_target":%q,`+
			`"eaf_id":"9942618991516306%010d","eaf_date":"2026-12-06T10:07:28+01:00","eaf_timestamp":1765011448,`+
			`"eaf_portal_reference":"%d_EAF_%d","eaf_errors":[{"eaf_code":"ERR_ACCOUNT_ALLOWANCE",`+
			`"eaf_message":"Unable to add the listing as you've reached your visible or invisible account allowance."}]}`,
			portals[i%len(portals)], i, 10000000+i%3000, i%3000)
	case i%2 == 0:
		return "eaf", fmt.Appendf(nil, `{"eaf_type":"email_lead","eaf_id":"7772222666172718%010d","id":"01922rat12i23ug%017d",`+
			`"email_source":%q,"email_date_time":"2026-12-06 06:28:06","contact_name":"Angela Baker","contact_email":%q,`+
			`"contact_phone":"+44(0)20 %04d %04d","contact_message_html":"This is an enquiry message about the flat, reference %d.",`+
			`"contact_message_flat":"This is an enquiry message about the flat, reference %d.","eaf_reference":"%d",`+
			`"eaf_portal_reference":"%d_EAF_67004","eaf_development_reference":null,"eaf_date":"2026-12-06T06:28:06+01:00",`+
			`"eaf_timestamp":1765000086}`,
			i, i, portals[i%len(portals)], email, 3000+i/10000%7000, i%10000, i, i, 87654321+i%500, 87654321+i%500)
	default:
		return "lokalebasen", fmt.Appendf(nil, `{"event_type":"enquiry_created","payload":{"requested_location":`+
			`{"href":"https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/dampfaergevej-10559"},"location":{"id":"%d",`+
			`"external_key":"EJ-593915GV","href":"https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/aebelogade-20064"},`+
			`"enquiry":{"type":"client"},"client":{"email":%q,"name":"Angela Baker","company":"Bakers Inc.","phone":"52 %02d %02d %02d"},`+
			`"comment":"I would like something with a grand view over the city, close to the metro, with room for 25 desks and two meeting rooms. Reference %d."}}`,
			20000+i%5000, email, i/10000%100, i/100%100, i%100, i)
	}
}

func main() {
	base := flag.String("url", "http://127.0.0.1:18461", "the daemon's address")
	n := flag.Int("n", 50000, "webhooks to post")
	first := flag.Int("first", 0, "number of the first webhook, less one (another run: past the last's)")
	clients := flag.Int("c", 16, "concurrent clients")
	broker := flag.Int("broker", 6, "leads in every thousand from -broker-email")
	brokerEmail := flag.String("broker-email", "broker@agency.dk", "the broker's email")
	lbToken := flag.String("lb-token", "lb-token-0123456789abcdef", "the lokalebasen source's token")
	eafToken := flag.String("eaf-token", "eaf-token-0123456789abcdef", "the eaf source's token")
	flag.Parse()
	tokens := map[string]string{"eaf": *eafToken, "lokalebasen": *lbToken}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *clients}, Timeout: time.Minute}
	var seq, failed atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for range *clients {
		wg.Go(func() {
			for i := seq.Add(1); i <= int64(*n); i = seq.Add(1) {
				src, b := body(*first+int(i), *broker, *brokerEmail)
				resp, err := client.Post(*base+"/hooks/"+src+"/"+tokens[src], "application/json", bytes.NewReader(b))
				if err != nil {
					failed.Add(1)
					fmt.Fprintln(os.Stderr, "bigday-load:", err)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					failed.Add(1)
					fmt.Fprintln(os.Stderr, "bigday-load: answered", resp.Status)
				}
			}
		})
	}
	wg.Wait()
	fmt.Printf("posted %d in %v, %d not answered 200\n", *n, time.Since(start).Round(time.Millisecond), failed.Load())
	if failed.Load() > 0 {
		os.Exit(1)
	}
}
