package middleware

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies are the addresses whose X-Forwarded-For and Forwarded headers are
// believed. Anyone else's are ignored: a client cannot choose its own address.
type Proxies []netip.Prefix

// ParsePrefixes reads CIDRs ("10.0.0.0/8") and single addresses.
func ParsePrefixes(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range list {
		s = strings.TrimSpace(s)
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("%q is neither a CIDR nor an IP address", s)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// Contains reports whether a is in one of the prefixes.
func Contains(prefixes []netip.Prefix, a netip.Addr) bool {
	for _, p := range prefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

type clientIPKey struct{}

// ClientIP returns the client address ClientIPs found for the request, or
// the zero Addr.
func ClientIP(ctx context.Context) netip.Addr {
	a, _ := ctx.Value(clientIPKey{}).(netip.Addr)
	return a
}

// ClientIPs works out each request's client address: the peer, or, when the
// peer is a trusted proxy, the nearest address in X-Forwarded-For (or
// Forwarded) that is not a trusted proxy.
func ClientIPs(trusted Proxies, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip := clientIP(r, trusted)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientIPKey{}, ip)))
	})
}

func clientIP(r *http.Request, trusted Proxies) netip.Addr {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	ip := peer.Addr().Unmap()
	if !Contains(trusted, ip) {
		return ip
	}
	hops := forwardedFor(r.Header)
	for i := len(hops) - 1; i >= 0; i-- { // nearest hop last
		hop, err := parseHop(hops[i])
		if err != nil {
			return ip // garbage from here on: trust what we know
		}
		ip = hop
		if !Contains(trusted, ip) {
			return ip
		}
	}
	return ip
}

// forwardedFor lists the hops of Forwarded (RFC 7239) when present, else of
// X-Forwarded-For, in order.
func forwardedFor(h http.Header) []string {
	var hops []string
	if fw := h.Values("Forwarded"); len(fw) > 0 {
		for _, v := range fw {
			for _, elem := range strings.Split(v, ",") {
				for _, pair := range strings.Split(elem, ";") {
					k, val, ok := strings.Cut(strings.TrimSpace(pair), "=")
					if ok && strings.EqualFold(k, "for") {
						hops = append(hops, strings.Trim(val, `"`))
					}
				}
			}
		}
		return hops
	}
	for _, v := range h.Values("X-Forwarded-For") {
		for _, hop := range strings.Split(v, ",") {
			hops = append(hops, strings.TrimSpace(hop))
		}
	}
	return hops
}

// parseHop reads "1.2.3.4", "1.2.3.4:567", "[::1]" or "[::1]:567".
func parseHop(s string) (netip.Addr, error) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), nil
	}
	a, err := netip.ParseAddr(strings.Trim(s, "[]"))
	return a.Unmap(), err
}
