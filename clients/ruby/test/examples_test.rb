# frozen_string_literal: true

require "test_helper"
require "open3"

# The stand-ins the examples expect from a Rails application: a mailer that records what it would send.
module PasswordMailer
  DELIVERIES = []
  Mail = Struct.new(:user) do
    def deliver_later
      DELIVERIES << user.handle
    end
  end

  def self.breached_password_reset(user)
    Mail.new(user)
  end
end

# Runs the examples in examples/ (as quoted in docs/recipes.md) against the packaged service.
class ExamplesTest < Minitest::Test
  include TestSupport

  EXAMPLES = %w[sign_in api_key_sign_in registration].freeze

  SignInUser = Struct.new(:handle, :mfa, keyword_init: true) do
    def mfa_enabled?
      mfa
    end
  end

  KeyUser = Struct.new(:handle, :mfa, :otp, keyword_init: true) do
    def mfa_enabled?
      mfa
    end

    def otp_verified?(code)
      !code.nil? && code == otp
    end

    def create_api_key!
      "rubygems_#{handle}_key"
    end
  end

  def self.load_examples
    return if @loaded

    ENV["PWCHECK_URL"] = TestSupport.service.url
    ENV["PWCHECK_API_KEY"] = TestSupport::API_KEY
    EXAMPLES.each { |name| load File.join(TestSupport::ROOT, "examples", "#{name}.rb") }
    @loaded = true
  end

  def setup
    self.class.load_examples
    @previous_client = Pwcheck.client
    Pwcheck.client = TestSupport.client
    PasswordMailer::DELIVERIES.clear
  end

  def teardown
    Pwcheck.client = @previous_client
  end

  def controller
    Class.new do
      include BreachedPasswordSignIn
      attr_reader :session, :events

      def initialize
        @session = {}
        @events = []
      end

      def sign_in(user) = events << [:sign_in, user.handle]
      def sign_out = events << [:sign_out]
      def reset_session = session.clear.then { events << [:reset_session] }
      def redirect_to(path) = events << [:redirect_to, path]
    end.new
  end

  RESET = [[:sign_out], [:reset_session], [:redirect_to, "/password/breached"]].freeze

  def test_sign_in_breached_with_mfa_resets_after_the_second_factor
    user = SignInUser.new(handle: "ann", mfa: true)
    sessions = controller
    sessions.sign_in_after_password(user, secret("password"))
    assert_equal [[:redirect_to, "/session/mfa"]], sessions.events
    assert_empty PasswordMailer::DELIVERIES # nothing said or sent before the second factor
    sessions.sign_in_after_mfa(user)
    assert_equal [[:redirect_to, "/session/mfa"]] + RESET, sessions.events
    assert_equal ["ann"], PasswordMailer::DELIVERIES
  end

  def test_sign_in_breached_without_mfa_requires_a_reset_at_once
    sessions = controller
    sessions.sign_in_after_password(SignInUser.new(handle: "bob", mfa: false), secret("password"))
    assert_equal RESET, sessions.events
    assert_equal ["bob"], PasswordMailer::DELIVERIES
  end

  def test_sign_in_clean
    sessions = controller
    sessions.sign_in_after_password(SignInUser.new(handle: "cy", mfa: false), clean_passphrase)
    assert_equal [[:sign_in, "cy"], [:redirect_to, "/dashboard"]], sessions.events
    with_mfa = controller
    user = SignInUser.new(handle: "di", mfa: true)
    with_mfa.sign_in_after_password(user, clean_passphrase)
    with_mfa.sign_in_after_mfa(user)
    assert_equal [[:redirect_to, "/session/mfa"], [:sign_in, "di"], [:redirect_to, "/dashboard"]], with_mfa.events
    assert_empty PasswordMailer::DELIVERIES
  end

  def test_sign_in_goes_on_when_pwcheck_is_unreachable
    Pwcheck.client = Pwcheck::Client.new(url: "http://127.0.0.1:#{free_port}")
    sessions = controller
    sessions.sign_in_after_password(SignInUser.new(handle: "ed", mfa: false), secret("password"))
    assert_equal [[:sign_in, "ed"], [:redirect_to, "/dashboard"]], sessions.events
  end

  def test_api_key_breached_without_mfa_is_refused
    status, text = ApiKeySignIn.call(KeyUser.new(handle: "fay", mfa: false), secret("trustno1"), otp: nil)
    assert_equal 403, status
    assert_includes text, "no API key was created"
    assert_includes text, "https://rubygems.org/password/new"
    assert_empty PasswordMailer::DELIVERIES
  end

  def test_api_key_breached_with_mfa_asks_the_otp_then_refuses_and_resets
    user = KeyUser.new(handle: "gus", mfa: true, otp: "123456")
    status, text = ApiKeySignIn.call(user, secret("trustno1"), otp: nil)
    assert_equal [401, "Your account has multifactor authentication: send the OTP."], [status, text]
    assert_equal [401, "Your OTP code is incorrect."], ApiKeySignIn.call(user, secret("trustno1"), otp: "000000")
    assert_empty PasswordMailer::DELIVERIES
    status, text = ApiKeySignIn.call(user, secret("trustno1"), otp: "123456")
    assert_equal 403, status
    assert_includes text, "e-mailed you a link"
    assert_equal ["gus"], PasswordMailer::DELIVERIES
  end

  def test_api_key_clean_is_minted
    assert_equal [200, "rubygems_hal_key"],
                 ApiKeySignIn.call(KeyUser.new(handle: "hal", mfa: false), clean_passphrase, otp: nil)
    assert_equal [200, "rubygems_ivy_key"],
                 ApiKeySignIn.call(KeyUser.new(handle: "ivy", mfa: true, otp: "654321"), clean_passphrase, otp: "654321")
  end

  def test_registration_model
    user = ::User.new(handle: secret("qwerty"), email: secret("q@example.org"), password: secret("qwerty"),
                      mfa_enabled: false)
    refute user.valid?
    assert_equal ["has been seen 1,003 times in data breaches", "use at least 15 characters", "don't use your username"],
                 user.errors[:password]
    user.mfa_enabled = true
    refute user.valid?
    assert_equal "use at least 8 characters", user.errors[:password][1]
    good = ::User.new(handle: secret("qwerty"), email: secret("q@example.org"), password: clean_passphrase,
                      mfa_enabled: false)
    assert good.valid?, good.errors.full_messages.inspect
  end

  # Each example is a file of its own: it runs with nothing but the gem and the two environment variables.
  def test_each_example_runs_on_its_own
    env = { "PWCHECK_URL" => service.url, "PWCHECK_API_KEY" => API_KEY }
    EXAMPLES.each do |name|
      out, status = Open3.capture2e(env, RbConfig.ruby, "-I", File.join(ROOT, "lib"),
                                    File.join(ROOT, "examples", "#{name}.rb"))
      assert status.success?, "examples/#{name}.rb: #{out}"
      assert_empty out, "examples/#{name}.rb"
    end
  end
end
