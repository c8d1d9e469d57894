# frozen_string_literal: true

# Test support: the real pwcheck service (the packaged jar) against the bundled fake HIBP upstream, started once for
# the whole run on free loopback ports and stopped at its end, plus small TCP servers that misbehave on purpose.
#
#   ruby -Ilib -Itest test/all.rb                 (from clients/ruby)
#
# The jar is ENV["PWCHECK_JAR"] or <repository>/target/quarkus-app/quarkus-run.jar; java is $JAVA_HOME/bin/java or
# java on the PATH; the fake upstream needs python3.

require "minitest/autorun"
require "digest"
require "fileutils"
require "json"
require "net/http"
require "securerandom"
require "socket"
require "tmpdir"
require "pwcheck"

module TestSupport
  ROOT = File.expand_path("..", __dir__) # clients/ruby
  REPO = File.expand_path("../..", ROOT)
  # The caller key the service is configured with (as its SHA-256): every client in the tests sends it, except where
  # a missing or wrong key is the point.
  API_KEY = "ruby-test-#{SecureRandom.hex(16)}"
  # The service's own words (pwcheck.context-words), for the context-word reason with field "service".
  SERVICE_WORDS = "rubygems,gem"
  # Every password, hash and context value the tests send, so that the last test can look for them in the service's
  # log (see service_log_test.rb).
  SECRETS = []

  module_function

  # Registers a password or context value (and for a password, its SHA-1 in both cases) and returns it.
  def secret(value)
    SECRETS << value
    sha1 = Digest::SHA1.hexdigest(value)
    SECRETS << sha1 << sha1.upcase
    value
  end

  # A long passphrase no corpus holds, new for each call (so its range is not cached yet).
  def clean_passphrase
    secret("a ruby client passphrase nobody has used #{SecureRandom.hex(8)}")
  end

  def free_port
    server = TCPServer.new("127.0.0.1", 0)
    server.addr[1]
  ensure
    server&.close
  end

  def service
    Service.instance
  end

  # A client of the test service with the right key. Options as Pwcheck::Client.new.
  def client(**options)
    Pwcheck::Client.new(url: service.url, api_key: API_KEY, **options)
  end

  def elapsed
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    value = yield
    [value, Process.clock_gettime(Process::CLOCK_MONOTONIC) - started]
  end

  # The fake upstream and the packaged service, started on first use and stopped after the run.
  class Service
    attr_reader :url, :log_path, :fake_url

    def self.instance
      @instance ||= new.tap(&:start)
    end

    def self.started?
      !@instance.nil?
    end

    # After the run: both processes stopped, their logs removed.
    def self.finish
      @instance&.stop
      @instance&.remove_files
    end

    def remove_files
      FileUtils.rm_rf(@dir)
    end

    def start
      @dir = Dir.mktmpdir("pwcheck-ruby-test-")
      @pids = []
      start_fake_upstream
      start_service
    end

    def start_fake_upstream
      port = TestSupport.free_port
      @fake_url = "http://127.0.0.1:#{port}"
      @pids << Process.spawn("python3", File.join(REPO, "bench", "fake_upstream.py"), "--port", port.to_s,
                             "--passwords", File.join(REPO, "bench", "sample-passwords.txt"),
                             out: File.join(@dir, "fake-upstream.log"), err: %i[child out])
      wait_until("the fake upstream on port #{port}", @pids.last, File.join(@dir, "fake-upstream.log"), 20) do
        Net::HTTP.get_response(URI("#{@fake_url}/stats")).code == "200"
      end
    end

    def start_service
      jar = ENV["PWCHECK_JAR"] || File.join(REPO, "target", "quarkus-app", "quarkus-run.jar")
      raise "no service jar at #{jar}: build it (./mvnw package) or set PWCHECK_JAR" unless File.file?(jar)

      java = ENV["JAVA_HOME"] ? File.join(ENV["JAVA_HOME"], "bin", "java") : "java"
      port = TestSupport.free_port
      management = TestSupport.free_port
      @url = "http://127.0.0.1:#{port}"
      @log_path = File.join(@dir, "pwcheck.log")
      env = {
        "QUARKUS_HTTP_HOST" => "127.0.0.1",
        "QUARKUS_HTTP_PORT" => port.to_s,
        "QUARKUS_MANAGEMENT_HOST" => "127.0.0.1",
        "QUARKUS_MANAGEMENT_PORT" => management.to_s,
        "QUARKUS_REST_CLIENT_HIBP_URL" => @fake_url,
        "QUARKUS_SHUTDOWN_DELAY" => "0s", # stop at once (the packaged default waits 5 s for a load balancer)
        "PWCHECK_AUTH_API_KEY_HASHES" => "ruby:#{Digest::SHA256.hexdigest(API_KEY)}",
        "PWCHECK_CONTEXT_WORDS" => SERVICE_WORDS,
        # bcrypt's limit at registration, for the too-long reason
        "PWCHECK_FLOWS_REGISTRATION_MAX_BYTES" => "72",
        # every line of the service's own code, for service_log_test.rb to read
        "QUARKUS_LOG_CATEGORY__DEV_PWCHECK__LEVEL" => "DEBUG",
      }
      @pids << Process.spawn(env, java, "-XX:TieredStopAtLevel=1", "-jar", jar,
                             chdir: @dir, out: @log_path, err: %i[child out], in: File::NULL)
      ready = URI("http://127.0.0.1:#{management}/q/health/ready")
      wait_until("the service (#{jar})", @pids.last, @log_path, 90) { Net::HTTP.get_response(ready).code == "200" }
    end

    def wait_until(what, pid, log, seconds)
      deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + seconds
      loop do
        if Process.waitpid(pid, Process::WNOHANG)
          @pids.delete(pid)
          raise "#{what} exited (#{$?}) before it was ready; its log ends:\n#{tail(log)}"
        end
        begin
          return if yield
        rescue SystemCallError, IOError, Net::OpenTimeout, Net::ReadTimeout
          # not listening yet
        end
        if Process.clock_gettime(Process::CLOCK_MONOTONIC) > deadline
          raise "#{what} was not ready within #{seconds} s; its log ends:\n#{tail(log)}"
        end
        sleep 0.2
      end
    end

    def tail(path)
      File.exist?(path) ? File.readlines(path).last(30).join : "(no log)"
    end

    # Stops both processes (TERM, then KILL after 15 s) and waits for them, so that the service's log is complete.
    def stop
      @pids.each do |pid|
        Process.kill("TERM", pid)
      rescue Errno::ESRCH
        nil
      end
      @pids.each do |pid|
        deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + 15
        until Process.waitpid(pid, Process::WNOHANG)
          if Process.clock_gettime(Process::CLOCK_MONOTONIC) > deadline
            Process.kill("KILL", pid)
            Process.waitpid(pid)
            break
          end
          sleep 0.1
        end
      rescue Errno::ECHILD, Errno::ESRCH
        nil
      end
      @pids.clear
    end
  end

  # Accepts connections and never answers: a hung service.
  class SilentServer
    attr_reader :url

    def initialize
      @server = TCPServer.new("127.0.0.1", 0)
      @url = "http://127.0.0.1:#{@server.addr[1]}"
      @held = []
      @thread = Thread.new do
        loop { @held << @server.accept }
      rescue IOError, SystemCallError
        nil
      end
    end

    def close
      @server.close
      @thread.join(1)
      @held.each(&:close)
    end
  end

  # Answers every request with a fixed raw HTTP response (or what a block returns for the request) and keeps what
  # it was sent: for 5xx, unreadable answers, and for looking at the exact request a client sends.
  class RawServer
    Request = Struct.new(:head, :body, keyword_init: true) do
      def header(name)
        head[/^#{Regexp.escape(name)}:[ \t]*(.*?)\r?$/i, 1]
      end

      def json
        JSON.parse(body)
      end
    end

    attr_reader :url, :requests

    # A raw answer for a JSON body with the given status, content type and extra header lines.
    def self.answer(status, body, content_type: "application/json", headers: {})
      reason = { 200 => "OK", 400 => "Bad Request", 403 => "Forbidden", 429 => "Too Many Requests",
                 503 => "Service Unavailable" }.fetch(status, "Status")
      lines = ["HTTP/1.1 #{status} #{reason}", "Content-Type: #{content_type}", "Content-Length: #{body.bytesize}",
               "Connection: close"] + headers.map { |k, v| "#{k}: #{v}" }
      "#{lines.join("\r\n")}\r\n\r\n#{body}"
    end

    def initialize(response = nil, &block)
      @respond = block || ->(_request) { response }
      @server = TCPServer.new("127.0.0.1", 0)
      @url = "http://127.0.0.1:#{@server.addr[1]}"
      @requests = []
      @thread = Thread.new do
        loop { serve(@server.accept) }
      rescue IOError, SystemCallError
        nil
      end
    end

    def serve(socket)
      data = +"".b
      data << socket.readpartial(16_384) until data.include?("\r\n\r\n")
      head, body = data.split("\r\n\r\n", 2)
      length = head[/^content-length:\s*(\d+)/i, 1].to_i
      body << socket.readpartial(16_384) while body.bytesize < length
      request = Request.new(head: head, body: body.force_encoding(Encoding::UTF_8))
      @requests << request
      socket.write(@respond.call(request))
    rescue IOError, SystemCallError
      nil
    ensure
      socket.close
    end

    def close
      @server.close
      @thread.join(1)
    end
  end
end

Minitest.after_run { TestSupport::Service.finish }
