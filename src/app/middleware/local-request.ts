import type { Request } from 'express';
import ipaddr from 'ipaddr.js';

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  try {
    let parsed = ipaddr.parse(address);
    if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
      parsed = (parsed as ipaddr.IPv6).toIPv4Address();
    }
    return parsed.range() === 'loopback';
  } catch {
    return false;
  }
}

/**
 * The request comes from the machine itself: loopback socket, loopback client address and no
 * proxy header (behind a reverse proxy on the same host every request reaches us on loopback).
 */
export function isLocalRequest(req: Request): boolean {
  const forwarded =
    req.headers['x-forwarded-for'] ?? req.headers.forwarded ?? req.headers['x-real-ip'];
  return !forwarded && isLoopback(req.socket.remoteAddress) && isLoopback(req.ip);
}
