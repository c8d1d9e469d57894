# frozen_string_literal: true

# `gem signin` turns a password into an API key that can publish gems (POST /api/v1/api_key with Basic auth, and
# an OTP header when the account has MFA). A password reused from another site's breach must not become a key, so
# the key is minted only when pwcheck's api-key flow accepts the password:
#   :accept          mint the key (also when pwcheck can't be reached: on_error: :allow)
#   :reject          breached, no second factor: no key; the user resets the password on the web first
#   :reset_after_mfa breached, with a second factor: the OTP is asked first, as always, so only someone holding
#                    both factors learns that the password is breached; then no key either (a key minted now would
#                    outlive the reset), and a reset link goes to the account's e-mail address
require "pwcheck"

# config/initializers/pwcheck.rb
Pwcheck.client = Pwcheck::Client.new(url: ENV.fetch("PWCHECK_URL"), api_key: ENV["PWCHECK_API_KEY"],
                                     open_timeout: 0.5, read_timeout: 3)

# From Api::V1::ApiKeysController#create, once User.authenticate(username, password) returned the user:
#   status, text = ApiKeySignIn.call(user, password, otp: request.headers["OTP"])
#   render plain: text, status: status
module ApiKeySignIn
  BREACHED = "Your password has appeared in a data breach, so no API key was created."

  def self.call(user, password, otp:)
    # The second factor first, as for any key: nobody without it learns anything about the password.
    if user.mfa_enabled? && !user.otp_verified?(otp)
      return [401, otp ? "Your OTP code is incorrect." : "Your account has multifactor authentication: send the OTP."]
    end

    case Pwcheck.client.check(password, flow: :api_key, mfa: user.mfa_enabled?).action
    when :reject
      [403, "#{BREACHED} Choose a new password at https://rubygems.org/password/new, then run `gem signin` again."]
    when :reset_after_mfa
      PasswordMailer.breached_password_reset(user).deliver_later
      [403, "#{BREACHED} We have e-mailed you a link to choose a new one; then run `gem signin` again."]
    else
      [200, user.create_api_key!]
    end
  end
end
