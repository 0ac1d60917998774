"""Rejected requests: the right status, an OperationOutcome that says what is wrong and
where (FHIRPath), and nothing stored. See https://hl7.org/fhir/R4/http.html#2.21.0.18
and https://hl7.org/fhir/R4/operationoutcome.html."""

import http.client
import socket
import threading
import unittest
import uuid

from harness import FHIR_JSON, ServerTestCase

MIB = 1024 * 1024


def observation(**extra):
    o = {"resourceType": "Observation", "status": "final", "code": {"text": "Glucose"}}
    o.update(extra)
    return o


class ErrorTest(ServerTestCase):

    def setUp(self):
        self.system = f"urn:hb-it:{uuid.uuid4()}"
        self.before = self.all_versions()

    def all_versions(self):
        return self.c.history_versions("_history?_count=500")

    def assertNothingStored(self):
        self.assertEqual(self.all_versions(), self.before, "a rejected request stored something")
        self.assertEqual(self.search_ids(f"Patient?identifier={self.system}|x"), [])

    def patient(self, **extra):
        p = {"resourceType": "Patient", "identifier": [{"system": self.system, "value": "x"}],
             "name": [{"family": "Vo"}]}
        p.update(extra)
        return p

    def reject(self, method, path, body, *, mentions=(), where=None, codes=(400, 422)):
        r = self.c.request(method, path, body)
        outcome = self.assertOutcome(r, *codes, mentions=mentions, path=where)
        self.assertNothingStored()
        return outcome

    # -- the body is not a resource

    def test_malformed_json(self):
        for body in (b'{"resourceType": "Patient", "name": [', b"not json at all",
                     b'{"resourceType": "Patient",}', b"\xff\xfe{}"):
            with self.subTest(body=body):
                self.reject("POST", "Patient", body,
                            mentions=("json", "parse", "syntax", "malformed", "utf"))

    def test_not_an_object(self):
        for body in (b"[]", b'"Patient"', b"42", b""):
            with self.subTest(body=body):
                self.reject("POST", "Patient", body)

    def test_unknown_resource_type(self):
        self.reject("POST", "Patient", {"resourceType": "Patientx", "id": "a"},
                    mentions=("Patientx",))

    def test_missing_resource_type(self):
        self.reject("POST", "Patient", {"name": [{"family": "Vo"}]}, mentions=("resourceType",))

    def test_resource_type_differs_from_url(self):
        self.reject("POST", "Patient", observation(), mentions=("Observation", "resourceType"))
        pid = f"t-{uuid.uuid4().hex[:10]}"
        self.reject("PUT", f"Patient/{pid}", observation(id=pid),
                    mentions=("Observation", "resourceType"))
        self.assertEqual(self.c.get(f"Patient/{pid}").status, 404)

    # -- ids

    def test_put_id_mismatch(self):
        self.reject("PUT", "Patient/abc", self.patient(id="xyz"), mentions=("abc", "xyz", "id"))

    def test_put_without_id_in_body(self):
        # R4 http.html#update: no id in the body -> 400
        self.reject("PUT", "Patient/abc", self.patient(), mentions=("id",))

    def test_bad_id_format(self):
        with self.subTest("in the URL and the body"):
            self.reject("PUT", "Patient/bad_id!", self.patient(id="bad_id!"),
                        mentions=("bad_id!", "id"))
        with self.subTest("65 characters"):
            long_id = "a" * 65
            self.reject("PUT", f"Patient/{long_id}", self.patient(id=long_id), mentions=("id",))
        with self.subTest("in the body of a create"):
            self.reject("POST", "Patient", self.patient(id="bad_id!"),
                        mentions=("bad_id!", "id"), where=r"Patient\.id")
        with self.subTest("read"):
            r = self.c.get("Patient/bad_id!")
            self.assertOutcome(r, 400, 404)

    # -- wrong primitive formats, each named by its FHIRPath

    def test_bad_date(self):
        self.reject("POST", "Patient", self.patient(birthDate="2020-13-45"),
                    mentions=("2020-13-45", "date"), where=r"Patient\.birthDate")

    def test_datetime_with_time_needs_zone(self):
        self.reject("POST", "Observation",
                    observation(effectiveDateTime="2020-01-01T10:00:00",
                                identifier=[{"system": self.system, "value": "x"}]),
                    mentions=("2020-01-01T10:00:00", "zone", "dateTime"),
                    where=r"Observation\.effective(DateTime|\.ofType\(dateTime\))")

    def test_instant_needs_seconds(self):
        self.reject("POST", "Observation", observation(issued="2020-01-01T10:00Z"),
                    mentions=("2020-01-01T10:00Z", "instant"), where=r"Observation\.issued")

    def test_decimal_as_string(self):
        self.reject("POST", "Observation",
                    observation(valueQuantity={"value": "1.5", "unit": "mmol/L"}),
                    mentions=("decimal", "number", "1.5"),
                    where=r"Observation\.value(Quantity|\.ofType\(Quantity\))\.value")

    def test_boolean_as_string(self):
        self.reject("POST", "Patient", self.patient(active="true"),
                    mentions=("boolean", "true"), where=r"Patient\.active")

    def test_nested_element_path(self):
        names = [{"family": "A"}, {"family": "B", "period": {"start": "2020-13-01"}}]
        self.reject("POST", "Patient", self.patient(name=names),
                    mentions=("2020-13-01", "dateTime"),
                    where=r"Patient\.name\[1\]\.period\.start")

    def test_unknown_element(self):
        self.reject("POST", "Patient", {"resourceType": "Patient", "foo": 1},
                    mentions=("foo",), where=r"Patient\.foo")

    def test_bad_update_keeps_old_version(self):
        pid, _ = self.create({"resourceType": "Patient", "birthDate": "1970-01-01"})
        self.before = self.all_versions()
        self.reject("PUT", f"Patient/{pid}", self.patient(id=pid, birthDate="1970-02-31x"),
                    where=r"Patient\.birthDate")
        g = self.c.get(f"Patient/{pid}").json
        self.assertEqual((g["meta"]["versionId"], g["birthDate"]), ("1", "1970-01-01"))

    # -- URLs

    def test_unknown_type_in_url(self):
        for method, path, body in (("GET", "Foo/1", None), ("POST", "Foo", {"resourceType": "Foo"}),
                                   ("GET", "Foo?_id=1", None), ("GET", "Foo/_history", None)):
            with self.subTest(method=method, path=path):
                r = self.c.request(method, path, body)
                self.assertOutcome(r, 400, 404, mentions=("Foo",))
        self.assertNothingStored()

    def test_read_missing_is_404(self):
        r = self.c.get(f"Patient/{uuid.uuid4()}")
        self.assertOutcome(r, 404)
        self.assertFhirJson(r)

    # -- size limit

    def test_oversized_body_is_413(self):
        for chunked in (False, True):
            with self.subTest(chunked=chunked):
                status, body = self.send_big_patient(40 * MIB, chunked)
                self.assertEqual(status, 413, f"40 MiB body, chunked={chunked}: got {status}\n"
                                 f"{body[:800]!r}")
                self.assertNothingStored()
                self.assertEqual(self.c.get("metadata").status, 200, "server still answers")

    def send_big_patient(self, size, chunked):
        """Sends a valid Patient of `size` bytes on a raw socket while reading the answer
        in parallel (a server may answer 413 before it has read the body, then close)."""
        head = ('{"resourceType":"Patient","identifier":[{"system":"%s","value":"x"}],'
                '"text":{"status":"generated","div":"<div xmlns=\\"http://www.w3.org/1999/'
                'xhtml\\">' % self.system).encode()
        tail = b'</div>"}}'
        filler = size - len(head) - len(tail)
        headers = self.c.headers({"Content-Type": FHIR_JSON, "Host": f"127.0.0.1:{self.server.port}"})
        if chunked:
            headers["Transfer-Encoding"] = "chunked"
        else:
            headers["Content-Length"] = str(size)
        request = "POST /fhir/Patient HTTP/1.1\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        sock = socket.create_connection(("127.0.0.1", self.server.port), timeout=60)

        def send():
            def piece(data):
                if chunked:
                    sock.sendall(b"%x\r\n" % len(data) + data + b"\r\n")
                else:
                    sock.sendall(data)
            try:
                sock.sendall(request.encode())
                piece(head)
                left = filler
                block = b"a" * MIB
                while left > 0:
                    piece(block[:min(left, MIB)])
                    left -= MIB
                piece(tail)
                if chunked:
                    sock.sendall(b"0\r\n\r\n")
            except OSError:
                pass  # the server stopped reading: expected once it has answered 413

        sender = threading.Thread(target=send, daemon=True)
        sender.start()
        try:
            resp = http.client.HTTPResponse(sock, method="POST")
            resp.begin()
            return resp.status, resp.read()
        except (ConnectionResetError, http.client.RemoteDisconnected) as e:
            return f"no HTTP response ({e!r})", b""
        finally:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
            sender.join(60)


if __name__ == "__main__":
    unittest.main()
