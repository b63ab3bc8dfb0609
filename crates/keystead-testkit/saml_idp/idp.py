#!/usr/bin/env python3
"""A small SAML 2.0 identity provider for Keystead's tests, built on pysaml2 (which signs with xmlsec1).

Not a mock: pysaml2 parses the AuthnRequest and builds and signs the Response the way a real IdP does.
Started by keystead-testkit's `saml_idp` helper with one argument, a JSON file:
  {"dir": "<temp dir>", "sp_metadata": "<path of the SP's metadata>",
   "user": {"name_id": "...", "name_id_format": "persistent"|"email", "attributes": {"mail": ["..."], ...}}}
It listens on 127.0.0.1 on a free port and prints "listening on <port>" once ready.

Endpoints:
  GET /metadata       the IdP's metadata (entity id http://127.0.0.1:<port>/metadata)
  GET /sso/redirect   SAMLRequest (+ RelayState) over HTTP-Redirect; answers the HTML auto-post form.
                      Test knobs as extra query parameters:
                        sign=response|assertion|both|none (default response)
                        audience=wrong         address the assertion to another service provider
                                               (https://wrong-audience.invalid/saml, a copy of the SP's metadata)
The signing key and certificate are generated at start into "dir" (TEST ONLY, thrown away on exit).
The SP's metadata file is read again when its content changes (the testkit rewrites it for a service
provider whose entity id is known only after the IdP started); the key, port and IdP metadata stay.
"""

import datetime
import json
import os
import re
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_EMAILADDRESS, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.saml import NAME_FORMAT_URI
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

PASSWORD_PROTECTED = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"


def write_test_key(directory):
    """Generates a throwaway RSA key and self-signed certificate (TEST ONLY)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "keystead-test-idp (TEST ONLY)")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_path = os.path.join(directory, "test_only_idp_key.pem")
    cert_path = os.path.join(directory, "test_only_idp_cert.pem")
    with open(key_path, "wb") as f:
        f.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.TraditionalOpenSSL,
                serialization.NoEncryption(),
            )
        )
    with open(cert_path, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


WRONG_AUDIENCE = "https://wrong-audience.invalid/saml"


def wrong_audience_metadata(directory, sp_metadata):
    """Copies the SP's metadata under another entity id, so pysaml2 will address an assertion to it."""
    with open(sp_metadata) as f:
        xml = f.read()
    xml = re.sub(r'entityID="[^"]*"', 'entityID="%s"' % WRONG_AUDIENCE, xml, count=1)
    path = os.path.join(directory, "wrong_audience_sp.xml")
    with open(path, "w") as f:
        f.write(xml)
    return path


def idp_config(base, key_path, cert_path, sp_metadata, other_metadata):
    conf = IdPConfig()
    conf.load(
        {
            "entityid": base + "/metadata",
            "service": {
                "idp": {
                    "name": "Keystead test IdP",
                    "endpoints": {
                        "single_sign_on_service": [(base + "/sso/redirect", BINDING_HTTP_REDIRECT)],
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT, NAMEID_FORMAT_EMAILADDRESS],
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 5},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                }
            },
            "key_file": key_path,
            "cert_file": cert_path,
            "metadata": {"local": [sp_metadata, other_metadata]},
            "xmlsec_binary": "/usr/bin/xmlsec1",
            "signing_algorithm": SIG_RSA_SHA256,
            "digest_algorithm": DIGEST_SHA256,
        }
    )
    return conf


class Handler(BaseHTTPRequestHandler):
    server_version = "keystead-test-idp"

    def log_message(self, fmt, *args):
        sys.stderr.write("test-idp: " + (fmt % args) + "\n")

    def reply(self, status, content_type, body):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        try:
            if url.path == "/metadata":
                self.reply(200, "application/samlmetadata+xml", self.server.metadata)
            elif url.path == "/sso/redirect":
                self.reply(200, "text/html; charset=utf-8", self.sso(query))
            else:
                self.reply(404, "text/plain", "not found")
        except Exception as exc:  # a test IdP reports every failure to the test
            self.reply(400, "text/plain", "test IdP error: %r" % (exc,))

    def sso(self, query):
        idp = current_idp(self.server)
        request = idp.parse_authn_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT)
        message = request.message
        sp_entity_id = message.issuer.text
        acs = message.assertion_consumer_service_url
        sign = query.get("sign", "response")
        user = self.server.user
        if user.get("name_id_format") == "email":
            name_id = NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=user["name_id"])
        else:
            name_id = NameID(format=NAMEID_FORMAT_PERSISTENT, text=user["name_id"])
        response = idp.create_authn_response(
            identity=user.get("attributes", {}),
            in_response_to=message.id,
            destination=acs,
            sp_entity_id=WRONG_AUDIENCE if query.get("audience") == "wrong" else sp_entity_id,
            name_id=name_id,
            authn={"class_ref": PASSWORD_PROTECTED, "authn_auth": idp.config.entityid},
            sign_response=sign in ("response", "both"),
            sign_assertion=sign in ("assertion", "both"),
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
        http = idp.apply_binding(
            BINDING_HTTP_POST, str(response), destination=acs, relay_state=query.get("RelayState", ""), response=True
        )
        return http["data"]


def read_text(path):
    with open(path) as f:
        return f.read()


def current_idp(server):
    """The pysaml2 server for the SP metadata as the file holds it now (rebuilt when it changed)."""
    with server.lock:
        sp_xml = read_text(server.sp_metadata)
        if sp_xml != server.sp_xml:
            other = wrong_audience_metadata(server.dir, server.sp_metadata)
            conf = idp_config(server.base, server.key_path, server.cert_path, server.sp_metadata, other)
            server.idp = Server(config=conf)
            server.sp_xml = sp_xml
        return server.idp


def main():
    with open(sys.argv[1]) as f:
        settings = json.load(f)
    key_path, cert_path = write_test_key(settings["dir"])
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = "http://127.0.0.1:%d" % httpd.server_address[1]
    other = wrong_audience_metadata(settings["dir"], settings["sp_metadata"])
    conf = idp_config(base, key_path, cert_path, settings["sp_metadata"], other)
    httpd.idp = Server(config=conf)
    httpd.metadata = create_metadata_string(None, config=conf, valid=24)
    if isinstance(httpd.metadata, bytes):
        httpd.metadata = httpd.metadata.decode("utf-8")
    httpd.user = settings["user"]
    httpd.lock = threading.Lock()
    httpd.dir, httpd.base = settings["dir"], base
    httpd.key_path, httpd.cert_path = key_path, cert_path
    httpd.sp_metadata = settings["sp_metadata"]
    httpd.sp_xml = read_text(settings["sp_metadata"])
    print("listening on %d" % httpd.server_address[1], flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
