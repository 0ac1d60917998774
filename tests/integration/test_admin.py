"""Accounts managed over the API: /admin/accounts (who may, what is audited)."""
import unittest

from harness import ServerTestCase, run_cli

SID = "https://fhir.healthbook.vn/sid/"


class AdminAccountsTest(ServerTestCase):
    def admin_client(self, *args):
        return self.server.client(token=self.server.mint_token("user/*.rs", *args))

    def test_operator_creates_a_user_who_can_then_sign_in(self):
        r = self.c.post("/admin/accounts", {"name": "bs.hoa", "role": "doctor", "facility": "11001",
                                            "display": "Bác sĩ Hoa"}, content_type="application/json")
        self.assertStatus(r, 201)
        password = r.json["password"]
        self.assertGreaterEqual(len(password), 12)
        login = self.server.client(token="")
        r = login.post("/auth/login", {"username": "bs.hoa", "password": password},
                       content_type="application/json")
        self.assertStatus(r, 200)
        self.assertIn("hb_session=", r.headers.get("Set-Cookie", ""))
        self.assertIn("HttpOnly", r.headers.get("Set-Cookie", ""))
        self.assertIn("SameSite=Strict", r.headers.get("Set-Cookie", ""))
        names = [a["name"] for a in self.c.get("/admin/accounts").json]
        self.assertIn("bs.hoa", names)

    def test_weak_password_and_unknown_role_are_refused(self):
        r = self.c.post("/admin/accounts", {"name": "x1", "role": "doctor", "password": "short"},
                        content_type="application/json")
        self.assertStatus(r, 400, 422)
        r = self.c.post("/admin/accounts", {"name": "x2", "role": "wizard"},
                        content_type="application/json")
        self.assertStatus(r, 400)

    def test_facility_admin_manages_only_their_facility(self):
        self.assertStatus(self.c.post("/admin/accounts", {"name": "qt.a", "role": "facility-admin",
                                                          "facility": "11001"},
                                      content_type="application/json"), 201)
        fa = self.admin_client("--user", "qt.a")
        r = fa.post("/admin/accounts", {"name": "dd.a", "role": "nurse", "facility": "11001"},
                    content_type="application/json")
        self.assertStatus(r, 201)
        r = fa.post("/admin/accounts", {"name": "dd.b", "role": "nurse", "facility": "11002"},
                    content_type="application/json")
        self.assertStatus(r, 403)
        r = fa.post("/admin/accounts", {"name": "sys2", "role": "system-admin", "facility": "11001"},
                    content_type="application/json")
        self.assertStatus(r, 403)
        self.assertNotIn("dd.b", [a["name"] for a in self.c.get("/admin/accounts").json])

    def test_disabling_an_account_stops_its_sign_in(self):
        r = self.c.post("/admin/accounts", {"name": "tn.c", "role": "cashier", "facility": "11001"},
                        content_type="application/json")
        self.assertStatus(r, 201)
        password = r.json["password"]
        self.assertStatus(self.c.post("/admin/accounts/tn.c/disable", {},
                                      content_type="application/json"), 200)
        login = self.server.client(token="")
        r = login.post("/auth/login", {"username": "tn.c", "password": password},
                       content_type="application/json")
        self.assertStatus(r, 401)
        self.assertStatus(self.c.post("/admin/accounts/tn.c/enable", {},
                                      content_type="application/json"), 200)
        r = login.post("/auth/login", {"username": "tn.c", "password": password},
                       content_type="application/json")
        self.assertStatus(r, 200)

    def test_clinical_staff_cannot_manage_accounts(self):
        self.assertStatus(self.c.post("/admin/accounts", {"name": "bs.d", "role": "doctor",
                                                          "facility": "11001"},
                                      content_type="application/json"), 201)
        doctor = self.server.client(token=self.server.mint_token("user/*.cruds", "--user", "bs.d"))
        self.assertStatus(doctor.get("/admin/accounts"), 403)
        self.assertStatus(doctor.post("/admin/accounts", {"name": "bs.e", "role": "doctor"},
                                      content_type="application/json"), 403)
        self.assertStatus(self.server.client(token="").get("/admin/accounts"), 401)

    def facility(self, code, level, name):
        """An Organization with MA_CSKCB `code` at facility level `level` (4 = tuyến xã)."""
        return self.create({
            "resourceType": "Organization", "name": name,
            "identifier": [{"system": SID + "facility", "value": code}],
            "type": [{"coding": [{"system": SID + "facility-level", "code": level}]}]})[0]

    def test_commune_health_worker_account_only_at_a_commune_station(self):
        self.facility("11801", "2", "Bệnh viện Đa khoa tỉnh")
        self.facility("11811", "4", "Trạm y tế xã Thanh Minh")

        def add(name, facility, role="commune-health-worker"):
            return self.c.post("/admin/accounts", {"name": name, "role": role, "facility": facility},
                               content_type="application/json")

        self.assertOutcome(add("ytx.bv", "11801"), 422, mentions=["commune health station"])
        self.assertOutcome(add("ytx.none", ""), 422, mentions=["MA_CSKCB"])
        r = add("ytx.tram", "11811")
        self.assertStatus(r, 201)
        self.assertNotIn("warning", r.json)
        r = add("ytx.moi", "11899")  # the station is not registered yet: allowed, said so
        self.assertStatus(r, 201)
        self.assertIn("not registered", r.json["warning"])
        self.assertStatus(add("bs.bv", "11801", role="doctor"), 201)  # other roles: unchanged
        names = [a["name"] for a in self.c.get("/admin/accounts").json]
        self.assertNotIn("ytx.bv", names)
        self.assertIn("ytx.tram", names)

        # `healthbook user add` reads the facility's Organization too (the server stopped:
        # while it runs, the folder is its own and the command says it could not check).
        running = run_cli("user", "add", "--data", self.server.data_dir, "--name", "ytx.cli0",
                          "--role", "commune-health-worker", "--facility", "11801")
        self.assertEqual(running.returncode, 0, running.stderr)
        self.assertIn("not checked", running.stderr)
        self.server.stop()
        try:
            def cli(name, facility):
                return run_cli("user", "add", "--data", self.server.data_dir, "--name", name,
                               "--role", "commune-health-worker", "--facility", facility)
            p = cli("ytx.cli1", "11801")
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("not a commune health station", p.stderr)
            self.assertNotIn("added user", p.stdout)
            p = cli("ytx.cli2", "11811")
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("added user ytx.cli2", p.stdout)
            self.assertNotIn("warning", p.stderr)
            p = cli("ytx.cli3", "11898")
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("not registered", p.stderr)
        finally:
            self.c.close()
            self.server.restart()
            type(self).c = self.server.client()
        names = [a["name"] for a in self.c.get("/admin/accounts").json]
        self.assertNotIn("ytx.cli1", names)
        self.assertTrue({"ytx.cli2", "ytx.cli3"} <= set(names))


if __name__ == "__main__":
    unittest.main()
