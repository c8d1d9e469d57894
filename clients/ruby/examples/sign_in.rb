# frozen_string_literal: true

# Sign-in with a breached-password check, as rubygems.org does it (rubygems/rubygems.org#6119).
# Once the password was verified, pwcheck's login flow says what to do next:
#   :allow           sign in as usual (also when pwcheck can't be reached: on_error: :allow keeps logins working)
#   :reset_after_mfa breached, and the account has a second factor: let the user complete it, then sign them
#                    out and e-mail a reset link (the second factor proved the account is theirs)
#   :require_reset   breached, no second factor: the password alone proves nothing, so sign out at once and
#                    e-mail a reset link to the account's address
require "pwcheck"

# config/initializers/pwcheck.rb (read timeout a little above the service's 2 s deadline)
Pwcheck.client = Pwcheck::Client.new(url: ENV.fetch("PWCHECK_URL"), api_key: ENV["PWCHECK_API_KEY"],
                                     open_timeout: 0.5, read_timeout: 3)

# app/controllers/concerns/breached_password_sign_in.rb, included in SessionsController
module BreachedPasswordSignIn
  # From SessionsController#create, once User.authenticate(handle, password) returned the user.
  def sign_in_after_password(user, password)
    case Pwcheck.client.check(password, flow: :login, mfa: user.mfa_enabled?).action
    when :require_reset then return reset_breached_password(user)
    when :reset_after_mfa then session[:breached_password] = true # acted on after the second factor
    end
    user.mfa_enabled? ? redirect_to("/session/mfa") : complete_sign_in(user)
  end

  # From the OTP or WebAuthn step, once the second factor was verified.
  def sign_in_after_mfa(user)
    session.delete(:breached_password) ? reset_breached_password(user) : complete_sign_in(user)
  end

  private

  def complete_sign_in(user)
    sign_in(user)
    redirect_to "/dashboard"
  end

  def reset_breached_password(user)
    sign_out
    reset_session
    PasswordMailer.breached_password_reset(user).deliver_later
    redirect_to "/password/breached" # "Your password appeared in a data breach: check your e-mail to choose a new one."
  end
end
