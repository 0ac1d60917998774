"""The live queue display: GET /api/queue/stream (server-sent events) pushes a department's
queue (numbers and states, no names) when a visit starts or a patient is called."""

import http.client
import json

from test_reception import ReceptionTestCase, patient, params


class QueueStreamTest(ReceptionTestCase):

    def open_stream(self, department, token=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        self.addCleanup(conn.close)
        headers = {"Accept": "text/event-stream"}
        token = self.desk.token if token is None else token
        if token:
            headers["Authorization"] = "Bearer " + token
        conn.request("GET", f"/api/queue/stream?department={department}", headers=headers)
        return conn.getresponse()

    def next_event(self, resp):
        """The next `queue` event's data, parsed (skipping retry and keep-alive lines)."""
        name, data = None, []
        while True:
            line = resp.fp.readline().decode("utf-8")
            self.assertTrue(line, "the stream ended")
            line = line.rstrip("\n")
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                data.append(line[6:])
            elif line == "" and name is not None:
                self.assertEqual(name, "queue")
                return json.loads("\n".join(data))

    def test_screen_sees_the_queue_move(self):
        resp = self.open_stream("NOI-STREAM")
        self.assertEqual(resp.status, 200)
        self.assertTrue(resp.getheader("Content-Type").startswith("text/event-stream"))
        first = self.next_event(resp)
        self.assertEqual(first["waiting"], 0)
        self.assertEqual(first["department"], "NOI-STREAM")
        pid = self.make(patient("Lò", ["Văn", "Màn"]))
        self.start_visit(pid, "NOI-STREAM")
        after = self.next_event(resp)
        self.assertEqual(after["waiting"], 1)
        self.assertEqual(after["last_number"], 1)
        self.assertNotIn("Lò", json.dumps(after, ensure_ascii=False))  # no names on a public screen
        r = self.desk.post("Encounter/$call-next", params(department="NOI-STREAM"))
        self.assertStatus(r, 200)
        called = self.next_event(resp)
        self.assertEqual(called["waiting"], 0)
        self.assertEqual(called["serving"][0], 1)

    def test_stream_needs_a_credential_and_a_department(self):
        self.assertEqual(self.open_stream("X", token="").status, 401)
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        self.addCleanup(conn.close)
        conn.request("GET", "/api/queue/stream", headers={
            "Authorization": "Bearer " + self.desk.token})
        r = conn.getresponse()
        self.assertEqual(r.status, 400)
        self.assertIn("department", r.read().decode())


if __name__ == "__main__":
    import unittest
    unittest.main()
