import Foundation
import StapleTestSupport

/// nginx with `ssl_stapling on; ssl_stapling_file`, in a temporary prefix, in the foreground.
enum NginxServer {
    static let page = "<h1>hello from nginx, over a must-staple connection</h1>\n"

    static func start(_ identity: Fixtures.Identity, staple: Fixtures.Staple?) throws -> ExternalServer {
        let nginx = try ExternalServer.locate("nginx", installHint: "apt-get install nginx")
        let port = try FreePort.pick()
        let dir = try ExternalServer.temporaryDirectory("nginx")
        let html = dir.appendingPathComponent("html")
        try FileManager.default.createDirectory(at: html, withIntermediateDirectories: true)
        try page.write(to: html.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        let stapling = staple.map { "ssl_stapling on;\n        ssl_stapling_file \($0.path);" } ?? "ssl_stapling off;"
        let config = """
            error_log \(dir.path)/error.log info;
            events { worker_connections 64; }
            http {
                access_log \(dir.path)/access.log;
                client_body_temp_path \(dir.path)/client_body;
                proxy_temp_path \(dir.path)/proxy;
                fastcgi_temp_path \(dir.path)/fastcgi;
                uwsgi_temp_path \(dir.path)/uwsgi;
                scgi_temp_path \(dir.path)/scgi;
                server {
                    listen 127.0.0.1:\(port) ssl;
                    server_name localhost;
                    ssl_certificate \(identity.chain);
                    ssl_certificate_key \(identity.key);
                    ssl_protocols TLSv1.2 TLSv1.3;
                    \(stapling)
                    root \(html.path);
                }
            }
            """
        let conf = dir.appendingPathComponent("nginx.conf")
        try config.write(to: conf, atomically: true, encoding: .utf8)
        return try ExternalServer(
            executable: nginx,
            arguments: [
                "-p", dir.path, "-c", conf.path, "-e", "\(dir.path)/error.log",
                "-g", "daemon off; master_process off; pid \(dir.path)/nginx.pid;",
            ],
            port: port,
            directory: dir
        )
    }
}
