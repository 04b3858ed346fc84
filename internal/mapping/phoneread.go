package mapping

import (
	"strconv"
	"strings"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// readPhone is phonenumbers.Parse(digits, region), digits being what
// phoneDigits gives. Most numbers a lead carries are digits alone, with or
// without a "+" ("52250559", "+4552250559"), and where the region's rules
// leave nothing to decide for them (no international or national prefix at
// their start, no leading zero), plainPhone builds the number Parse would
// give without Parse's dozen regular expressions (some 40% of mapping a
// lead; the extension pattern alone half of the parse). Everything else,
// and any number plainPhone is not sure of, goes to Parse.
// TestPlainPhoneIsParse holds the two equal over every region.
func readPhone(digits, region string) (*phonenumbers.PhoneNumber, error) {
	if num := plainPhone(digits, region); num != nil {
		return num, nil
	}
	return phonenumbers.Parse(digits, region)
}

// plainPhone is the number Parse gives for digits read in region, or nil
// when that takes more than the region's plain rules (see readPhone). It
// follows Parse step by step for such digits: after a "+", the first
// country code of one to three digits libphonenumber knows, and the rest
// the national number; without one, the region's country code, unless the
// digits begin with the region's international prefix or its country code
// (Parse then weighs both readings). The national number must not begin
// with the national prefix of the region it is read in, which Parse would
// strip, nor with a zero, which it keeps aside (Italy's leading zero).
func plainPhone(digits, region string) *phonenumbers.PhoneNumber {
	rest, plus := strings.CutPrefix(digits, "+")
	if len(rest) < 3 || !asciiDigits(rest) || rest[0] == '0' {
		return nil
	}
	regions := phoneRegions()
	var (
		cc       int
		national string
		in       plainRegion
		ok       bool
	)
	if plus {
		for i := 1; i <= 3; i++ {
			code, _ := strconv.Atoi(rest[:i])
			if main := phonenumbers.GetRegionCodeForCountryCode(code); main != phonenumbers.UNKNOWN_REGION {
				// read with the rules of the code's main region, as Parse does
				if in, ok = regions[main]; !ok {
					return nil // a code of no region (+800, +882): left to Parse
				}
				cc, national = code, rest[i:]
				break
			}
		}
		if cc == 0 {
			return nil
		}
	} else {
		if in, ok = regions[region]; !ok || hasPrefixOf(rest, in.idd) || strings.HasPrefix(rest, in.ccText) {
			return nil
		}
		cc, national = int(in.cc), rest
	}
	if len(national) < phonenumbers.MIN_LENGTH_FOR_NSN || len(national) > phonenumbers.MAX_LENGTH_FOR_NSN ||
		national[0] == '0' || hasPrefixOf(national, in.national) {
		return nil
	}
	n, err := strconv.ParseUint(national, 10, 64)
	if err != nil {
		return nil
	}
	code := int32(cc)
	return &phonenumbers.PhoneNumber{CountryCode: &code, NationalNumber: &n}
}

// plainRegion is what plainPhone needs of a region's rules.
type plainRegion struct {
	cc     int32
	ccText string
	// idd and national are the region's international prefix and the
	// national prefix it strips in parsing, as their alternatives
	// ("00"; "0", "0|180020" as "0" and "180020"); national is empty when
	// the region strips none.
	idd, national []string
}

// phoneRegions are the regions whose international prefix, and national
// prefix if any, are digits alone (most of them: Denmark's "00" and none;
// Germany's "00" and "0"), by region code. The others are left to Parse.
// Built once from libphonenumber's own metadata, and read only.
var phoneRegions = sync.OnceValue(func() map[string]plainRegion {
	out := map[string]plainRegion{}
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		return out // every number goes to Parse, as before
	}
	supported := phonenumbers.GetSupportedRegions()
	for _, m := range coll.GetMetadata() {
		id := m.GetId()
		if !supported[id] || phonenumbers.GetCountryCodeForRegion(id) != int(m.GetCountryCode()) {
			continue
		}
		idd, ok := digitAlternatives(m.GetInternationalPrefix())
		if !ok || len(idd) == 0 {
			continue
		}
		national, ok := digitAlternatives(m.GetNationalPrefixForParsing())
		if !ok {
			continue
		}
		out[id] = plainRegion{cc: m.GetCountryCode(), ccText: strconv.Itoa(int(m.GetCountryCode())), idd: idd, national: national}
	}
	return out
})

// digitAlternatives splits a prefix pattern of libphonenumber's metadata
// into its alternatives when each is digits alone ("0|180020"); ok is
// false for any other pattern ("0(?:0|11)"). "" has none.
func digitAlternatives(pattern string) (alts []string, ok bool) {
	if pattern == "" {
		return nil, true
	}
	for alt := range strings.SplitSeq(pattern, "|") {
		if alt == "" || !asciiDigits(alt) {
			return nil, false
		}
		alts = append(alts, alt)
	}
	return alts, true
}

// hasPrefixOf reports whether s begins with one of prefixes.
func hasPrefixOf(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// asciiDigits reports whether s is "0" to "9" alone.
func asciiDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
